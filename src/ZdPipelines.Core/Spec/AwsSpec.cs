namespace ZdPipelines.Core.Spec;

/// <summary>
/// An Application Load Balancer: the deployment target is a listener's default action, or one of its rules.
/// Blue-green and canary move traffic between the two target groups of <see cref="TargetGroupArns"/>;
/// rolling works inside the single target group the listener (or rule) forwards to. See docs/aws.md.
/// </summary>
public sealed record AwsAlbPlatformSpec
{
    /// <summary>The region of the load balancer, e.g. eu-west-1; it must match the region in the ARNs.</summary>
    public required string Region { get; init; }
    /// <summary>Sends the AWS calls here instead of the regional endpoints (moto_server, LocalStack, a VPC endpoint).</summary>
    public string? EndpointUrl { get; init; }
    public required string ListenerArn { get; init; }
    /// <summary>When set, the rule's forward action is the target instead of the listener's default action.</summary>
    public string? RuleArn { get; init; }
    /// <summary>Blue-green and canary: the two target groups traffic moves between. Not used by rolling.</summary>
    public IReadOnlyList<string> TargetGroupArns { get; init; } = [];
    /// <summary>A test listener that zdp points at the candidate before the switch (blue-green preview).</summary>
    public string? PreviewListenerArn { get; init; }
    /// <summary>A header-conditioned rule that zdp points at the candidate: the blue-green preview, or testers' route to a canary.</summary>
    public string? PreviewRuleArn { get; init; }
    /// <summary>Where the preview listener or rule is reached; fills {preview} in gates and hooks.</summary>
    public string? PreviewUrl { get; init; }
    /// <summary>How zdp obtains AWS credentials; absent means the default chain (environment, profile, web identity, instance role).</summary>
    public AwsCredentialsSpec? Credentials { get; init; }
}

/// <summary>Credentials by assuming a role with a web identity token (a file, or GitHub Actions' OIDC token).</summary>
public sealed record AwsCredentialsSpec
{
    public string? RoleArn { get; init; }
    /// <summary>Absolute path of a file holding the OIDC token (AWS_WEB_IDENTITY_TOKEN_FILE).</summary>
    public string? WebIdentityTokenFile { get; init; }
    public string? RoleSessionName { get; init; }
    /// <summary>Fetch the token from GitHub Actions (ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN) and assume <see cref="RoleArn"/> with it.</summary>
    public bool GithubOidc { get; init; }
}

/// <summary>
/// A gate read from CloudWatch with GetMetricData: a preset for the load balancer's own metrics, with the
/// AWS/ApplicationELB dimensions derived from the ARNs, or the user's queries (metric stats and metric math).
/// </summary>
public sealed record CloudWatchGateSource
{
    public AlbMetricPreset? Preset { get; init; }
    /// <summary>Which target group a preset reads.</summary>
    public Plans.Side Side { get; init; } = Plans.Side.Candidate;
    /// <summary>The user's queries; exactly one returns data, and its value is the measurement.</summary>
    public IReadOnlyList<CloudWatchQuerySpec> Queries { get; init; } = [];
    /// <summary>The period of every metric stat; a multiple of 60 s.</summary>
    public TimeSpan Period { get; init; } = CloudWatchDefaults.Period;
    /// <summary>Trailing window read for each measurement.</summary>
    public TimeSpan Window { get; init; } = CloudWatchDefaults.Window;
}

public static class CloudWatchDefaults
{
    /// <summary>ALB publishes its metrics once a minute; a shorter period returns nothing.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    /// <summary>Five one-minute points: ALB reports a minute only when requests flowed, so a shorter window is often empty.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
}

/// <summary>Ready-made ALB metrics; the value of each is computed over the window.</summary>
public enum AlbMetricPreset
{
    /// <summary>HTTPCode_Target_5XX_Count / RequestCount of the side's target group: a ratio from 0 to 1.</summary>
    TargetGroup5xxRate,
    /// <summary>p99 of TargetResponseTime of the side's target group, in seconds.</summary>
    TargetResponseTimeP99,
    /// <summary>Sum of RequestCount of the side's target group.</summary>
    RequestCount,
}

/// <summary>One GetMetricData query: a metric stat or a metric-math expression.</summary>
public sealed record CloudWatchQuerySpec
{
    public required string Id { get; init; }
    public CloudWatchMetricSpec? Metric { get; init; }
    public string? Expression { get; init; }
    public bool ReturnData { get; init; } = true;
}

/// <summary>
/// A metric and its statistic. Dimension values may use {loadBalancer}, {targetGroup} (the gate's side),
/// {stableTargetGroup} and {candidateTargetGroup}: zdp derives app/NAME/ID and targetgroup/NAME/ID from the ARNs.
/// </summary>
public sealed record CloudWatchMetricSpec
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required string Stat { get; init; }
    public IReadOnlyDictionary<string, string> Dimensions { get; init; } = new Dictionary<string, string>();
}

/// <summary>CloudWatch alarms by name or prefix; the value is how many are in ALARM.</summary>
public sealed record AlarmGateSource
{
    public IReadOnlyList<string> Names { get; init; } = [];
    public string? NamePrefix { get; init; }
}
