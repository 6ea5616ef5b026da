namespace ZdPipelines.Platforms.Aws.Clients;

// Requests and responses of ElbV2Client, one pair per operation, named as in AWSSDK.ElasticLoadBalancingV2.
// Members left null are not sent. Paginated operations take Marker/PageSize (PageSize 1-400) and answer NextMarker,
// which is null on the last page (elbv2 paginators-1.json).

internal sealed record DescribeLoadBalancersRequest
{
    /// <summary>At most 20.</summary>
    public IReadOnlyList<string>? LoadBalancerArns { get; init; }

    public IReadOnlyList<string>? Names { get; init; }

    public string? Marker { get; init; }

    public int? PageSize { get; init; }
}

internal sealed record DescribeLoadBalancersResponse(IReadOnlyList<LoadBalancer> LoadBalancers, string? NextMarker);

internal sealed record DescribeListenersRequest
{
    public string? LoadBalancerArn { get; init; }

    public IReadOnlyList<string>? ListenerArns { get; init; }

    public string? Marker { get; init; }

    public int? PageSize { get; init; }
}

internal sealed record DescribeListenersResponse(IReadOnlyList<Listener> Listeners, string? NextMarker);

internal sealed record DescribeRulesRequest
{
    public string? ListenerArn { get; init; }

    public IReadOnlyList<string>? RuleArns { get; init; }

    public string? Marker { get; init; }

    public int? PageSize { get; init; }
}

internal sealed record DescribeRulesResponse(IReadOnlyList<Rule> Rules, string? NextMarker);

/// <summary>
/// "To add an item to a list, remove an item from a list, or update an item in a list, you must provide the entire list"
/// (ModifyListener API reference): <see cref="DefaultActions"/> replaces every default action, so send all of them.
/// </summary>
internal sealed record ModifyListenerRequest
{
    public required string ListenerArn { get; init; }

    public int? Port { get; init; }

    public string? Protocol { get; init; }

    public string? SslPolicy { get; init; }

    public IReadOnlyList<Certificate>? Certificates { get; init; }

    public IReadOnlyList<Action>? DefaultActions { get; init; }

    public IReadOnlyList<string>? AlpnPolicy { get; init; }
}

internal sealed record ModifyListenerResponse(IReadOnlyList<Listener> Listeners);

/// <summary>As for <see cref="ModifyListenerRequest"/>: <see cref="Actions"/> and <see cref="Conditions"/> replace the whole lists.</summary>
internal sealed record ModifyRuleRequest
{
    public required string RuleArn { get; init; }

    public IReadOnlyList<RuleCondition>? Conditions { get; init; }

    public IReadOnlyList<Action>? Actions { get; init; }
}

internal sealed record ModifyRuleResponse(IReadOnlyList<Rule> Rules);

internal sealed record DescribeTargetGroupsRequest
{
    public string? LoadBalancerArn { get; init; }

    public IReadOnlyList<string>? TargetGroupArns { get; init; }

    public IReadOnlyList<string>? Names { get; init; }

    public string? Marker { get; init; }

    public int? PageSize { get; init; }
}

internal sealed record DescribeTargetGroupsResponse(IReadOnlyList<TargetGroup> TargetGroups, string? NextMarker);

internal sealed record DescribeTargetGroupAttributesRequest
{
    public required string TargetGroupArn { get; init; }
}

internal sealed record DescribeTargetGroupAttributesResponse(IReadOnlyList<TargetGroupAttribute> Attributes);

internal sealed record ModifyTargetGroupAttributesRequest
{
    public required string TargetGroupArn { get; init; }

    public required IReadOnlyList<TargetGroupAttribute> Attributes { get; init; }
}

internal sealed record ModifyTargetGroupAttributesResponse(IReadOnlyList<TargetGroupAttribute> Attributes);

internal sealed record DescribeTargetHealthRequest
{
    public required string TargetGroupArn { get; init; }

    /// <summary>Only these targets; a deregistered target is reported only when asked for by id.</summary>
    public IReadOnlyList<TargetDescription>? Targets { get; init; }
}

internal sealed record DescribeTargetHealthResponse(IReadOnlyList<TargetHealthDescription> TargetHealthDescriptions);

internal sealed record RegisterTargetsRequest
{
    public required string TargetGroupArn { get; init; }

    public required IReadOnlyList<TargetDescription> Targets { get; init; }
}

internal sealed record RegisterTargetsResponse;

internal sealed record DeregisterTargetsRequest
{
    public required string TargetGroupArn { get; init; }

    public required IReadOnlyList<TargetDescription> Targets { get; init; }
}

internal sealed record DeregisterTargetsResponse;

internal sealed record DescribeTagsRequest
{
    /// <summary>At most 20.</summary>
    public required IReadOnlyList<string> ResourceArns { get; init; }
}

internal sealed record DescribeTagsResponse(IReadOnlyList<TagDescription> TagDescriptions);

/// <summary>AddTags sets the value of a key that is already there.</summary>
internal sealed record AddTagsRequest
{
    public required IReadOnlyList<string> ResourceArns { get; init; }

    public required IReadOnlyList<Tag> Tags { get; init; }
}

internal sealed record AddTagsResponse;

internal sealed record RemoveTagsRequest
{
    public required IReadOnlyList<string> ResourceArns { get; init; }

    public required IReadOnlyList<string> TagKeys { get; init; }
}

internal sealed record RemoveTagsResponse;

internal sealed record CreateLoadBalancerRequest
{
    public required string Name { get; init; }

    public IReadOnlyList<string>? Subnets { get; init; }

    public IReadOnlyList<string>? SecurityGroups { get; init; }

    public string? Scheme { get; init; }

    public IReadOnlyList<Tag>? Tags { get; init; }

    public string? Type { get; init; }

    public string? IpAddressType { get; init; }
}

internal sealed record CreateLoadBalancerResponse(IReadOnlyList<LoadBalancer> LoadBalancers);

internal sealed record CreateTargetGroupRequest
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

internal sealed record CreateTargetGroupResponse(IReadOnlyList<TargetGroup> TargetGroups);

internal sealed record CreateListenerRequest
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

internal sealed record CreateListenerResponse(IReadOnlyList<Listener> Listeners);

internal sealed record CreateRuleRequest
{
    public required string ListenerArn { get; init; }

    public required IReadOnlyList<RuleCondition> Conditions { get; init; }

    /// <summary>1-50000, unique per listener.</summary>
    public required int Priority { get; init; }

    public required IReadOnlyList<Action> Actions { get; init; }

    public IReadOnlyList<Tag>? Tags { get; init; }
}

internal sealed record CreateRuleResponse(IReadOnlyList<Rule> Rules);

internal sealed record DeleteRuleRequest
{
    public required string RuleArn { get; init; }
}

internal sealed record DeleteRuleResponse;
