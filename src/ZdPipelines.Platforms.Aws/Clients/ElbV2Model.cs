namespace ZdPipelines.Platforms.Aws.Clients;

// The ELBv2 shapes this client reads and writes, named and laid out as AWSSDK.ElasticLoadBalancingV2's
// Amazon.ElasticLoadBalancingV2.Model (and the elbv2/2015-12-01 model, aws-operations.md), so the SDK can replace
// this client in one change. Lists are null when AWS did not send them, which keeps "absent" and "empty" apart
// when a listener or rule is written back.
//
// AdditionalMembers: any member of an Action or RuleCondition that this client does not model (newer model
// additions such as JwtValidationConfig), kept as flattened Query names relative to it ("JwtValidationConfig.Issuer",
// "X.member.1") and written back unchanged by ModifyListener/ModifyRule.

internal sealed record LoadBalancer
{
    public string? LoadBalancerArn { get; init; }

    public string? DNSName { get; init; }

    public string? CanonicalHostedZoneId { get; init; }

    public DateTimeOffset? CreatedTime { get; init; }

    public string? LoadBalancerName { get; init; }

    /// <summary><c>internet-facing</c> or <c>internal</c>.</summary>
    public string? Scheme { get; init; }

    public string? VpcId { get; init; }

    public LoadBalancerState? State { get; init; }

    /// <summary><c>application</c>, <c>network</c> or <c>gateway</c>.</summary>
    public string? Type { get; init; }

    public IReadOnlyList<AvailabilityZone>? AvailabilityZones { get; init; }

    public IReadOnlyList<string>? SecurityGroups { get; init; }

    public string? IpAddressType { get; init; }
}

/// <summary><c>Code</c> is <c>active</c>, <c>provisioning</c>, <c>active_impaired</c> or <c>failed</c>.</summary>
internal sealed record LoadBalancerState(string? Code, string? Reason);

internal sealed record AvailabilityZone
{
    public string? ZoneName { get; init; }

    public string? SubnetId { get; init; }

    public string? OutpostId { get; init; }
}

internal sealed record Listener
{
    public string? ListenerArn { get; init; }

    public string? LoadBalancerArn { get; init; }

    public int? Port { get; init; }

    public string? Protocol { get; init; }

    public IReadOnlyList<Certificate>? Certificates { get; init; }

    public string? SslPolicy { get; init; }

    public IReadOnlyList<Action>? DefaultActions { get; init; }

    public IReadOnlyList<string>? AlpnPolicy { get; init; }
}

internal sealed record Certificate
{
    public string? CertificateArn { get; init; }

    public bool? IsDefault { get; init; }
}

internal sealed record Rule
{
    public string? RuleArn { get; init; }

    /// <summary>A number as a string, or <c>default</c> for the listener's default rule.</summary>
    public string? Priority { get; init; }

    public IReadOnlyList<RuleCondition>? Conditions { get; init; }

    public IReadOnlyList<Action>? Actions { get; init; }

    public bool? IsDefault { get; init; }
}

/// <summary>
/// A listener or rule action. Named <c>Action</c> as in the SDK; in files that also use <see cref="System.Action"/>
/// write <c>using ElbAction = ZdPipelines.Platforms.Aws.Clients.Action;</c>.
/// </summary>
internal sealed record Action
{
    /// <summary><c>forward</c>, <c>redirect</c>, <c>fixed-response</c>, <c>authenticate-oidc</c> or <c>authenticate-cognito</c>.</summary>
    public required string Type { get; init; }

    /// <summary>A single target group; AWS also accepts it beside a <see cref="ForwardConfig"/> that holds only that group.</summary>
    public string? TargetGroupArn { get; init; }

    /// <summary>Kept as flattened Query members (<c>Issuer</c>, <c>AuthenticationRequestExtraParams.entry.1.key</c>, …).</summary>
    public IReadOnlyDictionary<string, string>? AuthenticateOidcConfig { get; init; }

    /// <summary>Kept as flattened Query members (<c>UserPoolArn</c>, <c>UserPoolClientId</c>, …).</summary>
    public IReadOnlyDictionary<string, string>? AuthenticateCognitoConfig { get; init; }

    /// <summary>1-50000; the order in which actions run.</summary>
    public int? Order { get; init; }

    public RedirectActionConfig? RedirectConfig { get; init; }

    public FixedResponseActionConfig? FixedResponseConfig { get; init; }

    public ForwardActionConfig? ForwardConfig { get; init; }

    public IReadOnlyDictionary<string, string>? AdditionalMembers { get; init; }
}

/// <summary>A weighted forward: at most 5 target groups per action (ALB quotas), weights 0-999.</summary>
internal sealed record ForwardActionConfig
{
    public IReadOnlyList<TargetGroupTuple>? TargetGroups { get; init; }

    public TargetGroupStickinessConfig? TargetGroupStickinessConfig { get; init; }
}

internal sealed record TargetGroupTuple
{
    public string? TargetGroupArn { get; init; }

    /// <summary>0 to 999; only the server checks the range.</summary>
    public int? Weight { get; init; }
}

internal sealed record TargetGroupStickinessConfig
{
    public bool? Enabled { get; init; }

    /// <summary>1 to 604800 seconds.</summary>
    public int? DurationSeconds { get; init; }
}

internal sealed record RedirectActionConfig
{
    public string? Protocol { get; init; }

    public string? Port { get; init; }

    public string? Host { get; init; }

    public string? Path { get; init; }

    public string? Query { get; init; }

    /// <summary><c>HTTP_301</c> or <c>HTTP_302</c>.</summary>
    public string? StatusCode { get; init; }
}

internal sealed record FixedResponseActionConfig
{
    public string? MessageBody { get; init; }

    public string? StatusCode { get; init; }

    public string? ContentType { get; init; }
}

internal sealed record RuleCondition
{
    /// <summary><c>host-header</c>, <c>path-pattern</c>, <c>http-header</c>, <c>query-string</c>, <c>http-request-method</c> or <c>source-ip</c>.</summary>
    public string? Field { get; init; }

    /// <summary>The legacy form for <c>host-header</c> and <c>path-pattern</c>; AWS echoes it beside the typed config.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    public HostHeaderConditionConfig? HostHeaderConfig { get; init; }

    public PathPatternConditionConfig? PathPatternConfig { get; init; }

    public HttpHeaderConditionConfig? HttpHeaderConfig { get; init; }

    public QueryStringConditionConfig? QueryStringConfig { get; init; }

    public HttpRequestMethodConditionConfig? HttpRequestMethodConfig { get; init; }

    public SourceIpConditionConfig? SourceIpConfig { get; init; }

    public IReadOnlyList<string>? RegexValues { get; init; }

    public IReadOnlyDictionary<string, string>? AdditionalMembers { get; init; }
}

internal sealed record HostHeaderConditionConfig
{
    public IReadOnlyList<string>? Values { get; init; }

    public IReadOnlyList<string>? RegexValues { get; init; }
}

internal sealed record PathPatternConditionConfig
{
    public IReadOnlyList<string>? Values { get; init; }

    public IReadOnlyList<string>? RegexValues { get; init; }
}

internal sealed record HttpHeaderConditionConfig
{
    public string? HttpHeaderName { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    public IReadOnlyList<string>? RegexValues { get; init; }
}

internal sealed record QueryStringConditionConfig
{
    public IReadOnlyList<QueryStringKeyValuePair>? Values { get; init; }
}

internal sealed record QueryStringKeyValuePair
{
    public string? Key { get; init; }

    public string? Value { get; init; }
}

internal sealed record HttpRequestMethodConditionConfig
{
    public IReadOnlyList<string>? Values { get; init; }
}

internal sealed record SourceIpConditionConfig
{
    public IReadOnlyList<string>? Values { get; init; }
}

internal sealed record TargetGroup
{
    public string? TargetGroupArn { get; init; }

    public string? TargetGroupName { get; init; }

    public string? Protocol { get; init; }

    public int? Port { get; init; }

    public string? VpcId { get; init; }

    public string? HealthCheckProtocol { get; init; }

    /// <summary>A port number, or <c>traffic-port</c>.</summary>
    public string? HealthCheckPort { get; init; }

    public bool? HealthCheckEnabled { get; init; }

    public int? HealthCheckIntervalSeconds { get; init; }

    public int? HealthCheckTimeoutSeconds { get; init; }

    public int? HealthyThresholdCount { get; init; }

    public int? UnhealthyThresholdCount { get; init; }

    public string? HealthCheckPath { get; init; }

    public Matcher? Matcher { get; init; }

    public IReadOnlyList<string>? LoadBalancerArns { get; init; }

    /// <summary><c>instance</c>, <c>ip</c>, <c>lambda</c> or <c>alb</c>.</summary>
    public string? TargetType { get; init; }

    public string? ProtocolVersion { get; init; }

    public string? IpAddressType { get; init; }
}

internal sealed record Matcher
{
    public string? HttpCode { get; init; }

    public string? GrpcCode { get; init; }
}

/// <summary>A target group attribute; values are strings on the wire (<c>deregistration_delay.timeout_seconds</c> = <c>"300"</c>).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "The AWS SDK's name for this shape.")]
internal sealed record TargetGroupAttribute(string? Key, string? Value);

internal sealed record TargetDescription
{
    /// <summary>An instance id, an IP address, a Lambda ARN or an ALB ARN, by the group's target type.</summary>
    public required string Id { get; init; }

    public int? Port { get; init; }

    public string? AvailabilityZone { get; init; }
}

internal sealed record TargetHealthDescription
{
    public TargetDescription? Target { get; init; }

    public string? HealthCheckPort { get; init; }

    public TargetHealth? TargetHealth { get; init; }
}

/// <summary>
/// <c>State</c>: <c>initial</c>, <c>healthy</c>, <c>unhealthy</c>, <c>unused</c>, <c>draining</c> or <c>unavailable</c>;
/// <c>Reason</c> such as <c>Target.DeregistrationInProgress</c>; both absent-able.
/// </summary>
internal sealed record TargetHealth(string? State, string? Reason, string? Description);

internal sealed record Tag(string Key, string? Value);

internal sealed record TagDescription
{
    public string? ResourceArn { get; init; }

    public IReadOnlyList<Tag>? Tags { get; init; }
}
