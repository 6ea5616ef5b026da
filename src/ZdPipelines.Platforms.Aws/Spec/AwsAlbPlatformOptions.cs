using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Aws.Spec;

/// <summary>
/// An Application Load Balancer: the deployment target is a listener's default action, or one of its rules.
/// Blue-green and canary move traffic between the two target groups of <see cref="TargetGroupArns"/>;
/// rolling works inside the single target group the listener (or rule) forwards to. See docs/aws.md.
/// </summary>
public sealed record AwsAlbPlatformOptions : PlatformOptions
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
