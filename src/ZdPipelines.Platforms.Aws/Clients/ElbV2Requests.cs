namespace ZdPipelines.Platforms.Aws.Clients;

// Requests and responses of ElbV2Client, one pair per operation, named as in AWSSDK.ElasticLoadBalancingV2.
// Members left null are not sent. Paginated operations take Marker/PageSize (PageSize 1-400) and answer NextMarker,
// which is null on the last page (elbv2 paginators-1.json).

public sealed record DescribeLoadBalancersRequest
{
    /// <summary>At most 20.</summary>
    public IReadOnlyList<string>? LoadBalancerArns { get; init; }

    public IReadOnlyList<string>? Names { get; init; }

    public string? Marker { get; init; }

    public int? PageSize { get; init; }
}

public sealed record DescribeLoadBalancersResponse(IReadOnlyList<LoadBalancer> LoadBalancers, string? NextMarker);

public sealed record DescribeListenersRequest
{
    public string? LoadBalancerArn { get; init; }

    public IReadOnlyList<string>? ListenerArns { get; init; }

    public string? Marker { get; init; }

    public int? PageSize { get; init; }
}

public sealed record DescribeListenersResponse(IReadOnlyList<Listener> Listeners, string? NextMarker);

public sealed record DescribeRulesRequest
{
    public string? ListenerArn { get; init; }

    public IReadOnlyList<string>? RuleArns { get; init; }

    public string? Marker { get; init; }

    public int? PageSize { get; init; }
}

public sealed record DescribeRulesResponse(IReadOnlyList<Rule> Rules, string? NextMarker);

/// <summary>
/// "To add an item to a list, remove an item from a list, or update an item in a list, you must provide the entire list"
/// (ModifyListener API reference): <see cref="DefaultActions"/> replaces every default action, so send all of them.
/// </summary>
public sealed record ModifyListenerRequest
{
    public required string ListenerArn { get; init; }

    public int? Port { get; init; }

    public string? Protocol { get; init; }

    public string? SslPolicy { get; init; }

    public IReadOnlyList<Certificate>? Certificates { get; init; }

    public IReadOnlyList<Action>? DefaultActions { get; init; }

    public IReadOnlyList<string>? AlpnPolicy { get; init; }
}

public sealed record ModifyListenerResponse(IReadOnlyList<Listener> Listeners);

/// <summary>As for <see cref="ModifyListenerRequest"/>: <see cref="Actions"/> and <see cref="Conditions"/> replace the whole lists.</summary>
public sealed record ModifyRuleRequest
{
    public required string RuleArn { get; init; }

    public IReadOnlyList<RuleCondition>? Conditions { get; init; }

    public IReadOnlyList<Action>? Actions { get; init; }
}

public sealed record ModifyRuleResponse(IReadOnlyList<Rule> Rules);

public sealed record DescribeTargetGroupsRequest
{
    public string? LoadBalancerArn { get; init; }

    public IReadOnlyList<string>? TargetGroupArns { get; init; }

    public IReadOnlyList<string>? Names { get; init; }

    public string? Marker { get; init; }

    public int? PageSize { get; init; }
}

public sealed record DescribeTargetGroupsResponse(IReadOnlyList<TargetGroup> TargetGroups, string? NextMarker);

public sealed record DescribeTargetGroupAttributesRequest
{
    public required string TargetGroupArn { get; init; }
}

public sealed record DescribeTargetGroupAttributesResponse(IReadOnlyList<TargetGroupAttribute> Attributes);

public sealed record ModifyTargetGroupAttributesRequest
{
    public required string TargetGroupArn { get; init; }

    public required IReadOnlyList<TargetGroupAttribute> Attributes { get; init; }
}

public sealed record ModifyTargetGroupAttributesResponse(IReadOnlyList<TargetGroupAttribute> Attributes);

public sealed record DescribeTargetHealthRequest
{
    public required string TargetGroupArn { get; init; }

    /// <summary>Only these targets; a deregistered target is reported only when asked for by id.</summary>
    public IReadOnlyList<TargetDescription>? Targets { get; init; }
}

public sealed record DescribeTargetHealthResponse(IReadOnlyList<TargetHealthDescription> TargetHealthDescriptions);

public sealed record RegisterTargetsRequest
{
    public required string TargetGroupArn { get; init; }

    public required IReadOnlyList<TargetDescription> Targets { get; init; }
}

public sealed record RegisterTargetsResponse;

public sealed record DeregisterTargetsRequest
{
    public required string TargetGroupArn { get; init; }

    public required IReadOnlyList<TargetDescription> Targets { get; init; }
}

public sealed record DeregisterTargetsResponse;

public sealed record DescribeTagsRequest
{
    /// <summary>At most 20.</summary>
    public required IReadOnlyList<string> ResourceArns { get; init; }
}

public sealed record DescribeTagsResponse(IReadOnlyList<TagDescription> TagDescriptions);

/// <summary>AddTags sets the value of a key that is already there.</summary>
public sealed record AddTagsRequest
{
    public required IReadOnlyList<string> ResourceArns { get; init; }

    public required IReadOnlyList<Tag> Tags { get; init; }
}

public sealed record AddTagsResponse;

public sealed record RemoveTagsRequest
{
    public required IReadOnlyList<string> ResourceArns { get; init; }

    public required IReadOnlyList<string> TagKeys { get; init; }
}

public sealed record RemoveTagsResponse;

public sealed record CreateLoadBalancerRequest
{
    public required string Name { get; init; }

    public IReadOnlyList<string>? Subnets { get; init; }

    public IReadOnlyList<string>? SecurityGroups { get; init; }

    public string? Scheme { get; init; }

    public IReadOnlyList<Tag>? Tags { get; init; }

    public string? Type { get; init; }

    public string? IpAddressType { get; init; }
}

public sealed record CreateLoadBalancerResponse(IReadOnlyList<LoadBalancer> LoadBalancers);

public sealed record CreateTargetGroupRequest
{
    public required string Name { get; init; }

    public string? Protocol { get; init; }

    public string? ProtocolVersion { get; init; }

    public int? Port { get; init; }

    public string? VpcId { get; init; }

    public string? HealthCheckProtocol { get; init; }

    public string? HealthCheckPort { get; init; }

    public bool? HealthCheckEnabled { get; init; }

    public string? HealthCheckPath { get; init; }

    public int? HealthCheckIntervalSeconds { get; init; }

    public int? HealthCheckTimeoutSeconds { get; init; }

    public int? HealthyThresholdCount { get; init; }

    public int? UnhealthyThresholdCount { get; init; }

    public Matcher? Matcher { get; init; }

    public string? TargetType { get; init; }

    public IReadOnlyList<Tag>? Tags { get; init; }

    public string? IpAddressType { get; init; }
}

public sealed record CreateTargetGroupResponse(IReadOnlyList<TargetGroup> TargetGroups);

public sealed record CreateListenerRequest
{
    public required string LoadBalancerArn { get; init; }

    public string? Protocol { get; init; }

    public int? Port { get; init; }

    public string? SslPolicy { get; init; }

    public IReadOnlyList<Certificate>? Certificates { get; init; }

    public required IReadOnlyList<Action> DefaultActions { get; init; }

    public IReadOnlyList<string>? AlpnPolicy { get; init; }

    public IReadOnlyList<Tag>? Tags { get; init; }
}

public sealed record CreateListenerResponse(IReadOnlyList<Listener> Listeners);

public sealed record CreateRuleRequest
{
    public required string ListenerArn { get; init; }

    public required IReadOnlyList<RuleCondition> Conditions { get; init; }

    /// <summary>1-50000, unique per listener.</summary>
    public required int Priority { get; init; }

    public required IReadOnlyList<Action> Actions { get; init; }

    public IReadOnlyList<Tag>? Tags { get; init; }
}

public sealed record CreateRuleResponse(IReadOnlyList<Rule> Rules);

public sealed record DeleteRuleRequest
{
    public required string RuleArn { get; init; }
}

public sealed record DeleteRuleResponse;
