using System.Xml.Linq;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// Elastic Load Balancing v2 (ALB) over the Query protocol, API version 2015-12-01, SigV4 service
/// <c>elasticloadbalancing</c>. Method, request and response names follow AWSSDK.ElasticLoadBalancingV2's
/// <c>IAmazonElasticLoadBalancingV2</c> so that the SDK can take its place. The <c>…AllAsync</c> helpers follow
/// <c>NextMarker</c> to the last page.
/// </summary>
internal sealed class ElbV2Client
{
    private readonly AwsQueryClient _query;

    internal ElbV2Client(AwsQueryClient query) => _query = query;

    /// <summary>Calls and HTTP requests per action since this client was made (or the counter was reset).</summary>
    public AwsCallCounter Counter => _query.Counter;

    public Uri Endpoint => _query.Endpoint;

    public async Task<DescribeLoadBalancersResponse> DescribeLoadBalancersAsync(DescribeLoadBalancersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("DescribeLoadBalancers", new QueryParameters()
            .AddList("LoadBalancerArns", request.LoadBalancerArns)
            .AddList("Names", request.Names)
            .Add("Marker", request.Marker)
            .Add("PageSize", request.PageSize), cancellationToken);
        return new(result.Members("LoadBalancers").Select(ElbV2Wire.ReadLoadBalancer).ToList(), ElbV2Wire.NextMarker(result));
    }

    public IAsyncEnumerable<LoadBalancer> DescribeLoadBalancersAllAsync(DescribeLoadBalancersRequest request, CancellationToken cancellationToken = default) =>
        QueryPagination.AllAsync(request, r => r.Marker, (r, m) => r with { Marker = m }, DescribeLoadBalancersAsync, p => (p.LoadBalancers, p.NextMarker), cancellationToken);

    public async Task<DescribeListenersResponse> DescribeListenersAsync(DescribeListenersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("DescribeListeners", new QueryParameters()
            .Add("LoadBalancerArn", request.LoadBalancerArn)
            .AddList("ListenerArns", request.ListenerArns)
            .Add("Marker", request.Marker)
            .Add("PageSize", request.PageSize), cancellationToken);
        return new(result.Members("Listeners").Select(ElbV2Wire.ReadListener).ToList(), ElbV2Wire.NextMarker(result));
    }

    public IAsyncEnumerable<Listener> DescribeListenersAllAsync(DescribeListenersRequest request, CancellationToken cancellationToken = default) =>
        QueryPagination.AllAsync(request, r => r.Marker, (r, m) => r with { Marker = m }, DescribeListenersAsync, p => (p.Listeners, p.NextMarker), cancellationToken);

    public async Task<DescribeRulesResponse> DescribeRulesAsync(DescribeRulesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("DescribeRules", new QueryParameters()
            .Add("ListenerArn", request.ListenerArn)
            .AddList("RuleArns", request.RuleArns)
            .Add("Marker", request.Marker)
            .Add("PageSize", request.PageSize), cancellationToken);
        return new(result.Members("Rules").Select(ElbV2Wire.ReadRule).ToList(), ElbV2Wire.NextMarker(result));
    }

    public IAsyncEnumerable<Rule> DescribeRulesAllAsync(DescribeRulesRequest request, CancellationToken cancellationToken = default) =>
        QueryPagination.AllAsync(request, r => r.Marker, (r, m) => r with { Marker = m }, DescribeRulesAsync, p => (p.Rules, p.NextMarker), cancellationToken);

    public async Task<ModifyListenerResponse> ModifyListenerAsync(ModifyListenerRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("ModifyListener", new QueryParameters()
            .Add("ListenerArn", request.ListenerArn)
            .Add("Port", request.Port)
            .Add("Protocol", request.Protocol)
            .Add("SslPolicy", request.SslPolicy)
            .AddList("Certificates", request.Certificates, ElbV2Wire.WriteCertificate)
            .AddList("DefaultActions", request.DefaultActions, ElbV2Wire.WriteAction)
            .AddList("AlpnPolicy", request.AlpnPolicy), cancellationToken);
        return new(result.Members("Listeners").Select(ElbV2Wire.ReadListener).ToList());
    }

    public async Task<ModifyRuleResponse> ModifyRuleAsync(ModifyRuleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("ModifyRule", new QueryParameters()
            .Add("RuleArn", request.RuleArn)
            .AddList("Conditions", request.Conditions, ElbV2Wire.WriteCondition)
            .AddList("Actions", request.Actions, ElbV2Wire.WriteAction), cancellationToken);
        return new(result.Members("Rules").Select(ElbV2Wire.ReadRule).ToList());
    }

    public async Task<DescribeTargetGroupsResponse> DescribeTargetGroupsAsync(DescribeTargetGroupsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("DescribeTargetGroups", new QueryParameters()
            .Add("LoadBalancerArn", request.LoadBalancerArn)
            .AddList("TargetGroupArns", request.TargetGroupArns)
            .AddList("Names", request.Names)
            .Add("Marker", request.Marker)
            .Add("PageSize", request.PageSize), cancellationToken);
        return new(result.Members("TargetGroups").Select(ElbV2Wire.ReadTargetGroup).ToList(), ElbV2Wire.NextMarker(result));
    }

    public IAsyncEnumerable<TargetGroup> DescribeTargetGroupsAllAsync(DescribeTargetGroupsRequest request, CancellationToken cancellationToken = default) =>
        QueryPagination.AllAsync(request, r => r.Marker, (r, m) => r with { Marker = m }, DescribeTargetGroupsAsync, p => (p.TargetGroups, p.NextMarker), cancellationToken);

    public async Task<DescribeTargetGroupAttributesResponse> DescribeTargetGroupAttributesAsync(
        DescribeTargetGroupAttributesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("DescribeTargetGroupAttributes", new QueryParameters()
            .Add("TargetGroupArn", request.TargetGroupArn), cancellationToken);
        return new(result.Members("Attributes").Select(ElbV2Wire.ReadAttribute).ToList());
    }

    public async Task<ModifyTargetGroupAttributesResponse> ModifyTargetGroupAttributesAsync(
        ModifyTargetGroupAttributesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("ModifyTargetGroupAttributes", new QueryParameters()
            .Add("TargetGroupArn", request.TargetGroupArn)
            .AddList("Attributes", request.Attributes, ElbV2Wire.WriteAttribute), cancellationToken);
        return new(result.Members("Attributes").Select(ElbV2Wire.ReadAttribute).ToList());
    }

    public async Task<DescribeTargetHealthResponse> DescribeTargetHealthAsync(DescribeTargetHealthRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("DescribeTargetHealth", new QueryParameters()
            .Add("TargetGroupArn", request.TargetGroupArn)
            .AddList("Targets", request.Targets, ElbV2Wire.WriteTarget), cancellationToken);
        return new(result.Members("TargetHealthDescriptions").Select(ElbV2Wire.ReadTargetHealth).ToList());
    }

    public async Task<RegisterTargetsResponse> RegisterTargetsAsync(RegisterTargetsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SendAsync("RegisterTargets", new QueryParameters()
            .Add("TargetGroupArn", request.TargetGroupArn)
            .AddList("Targets", request.Targets, ElbV2Wire.WriteTarget), cancellationToken);
        return new();
    }

    public async Task<DeregisterTargetsResponse> DeregisterTargetsAsync(DeregisterTargetsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SendAsync("DeregisterTargets", new QueryParameters()
            .Add("TargetGroupArn", request.TargetGroupArn)
            .AddList("Targets", request.Targets, ElbV2Wire.WriteTarget), cancellationToken);
        return new();
    }

    public async Task<DescribeTagsResponse> DescribeTagsAsync(DescribeTagsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("DescribeTags", new QueryParameters()
            .AddList("ResourceArns", request.ResourceArns), cancellationToken);
        return new(result.Members("TagDescriptions").Select(ElbV2Wire.ReadTagDescription).ToList());
    }

    public async Task<AddTagsResponse> AddTagsAsync(AddTagsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SendAsync("AddTags", new QueryParameters()
            .AddList("ResourceArns", request.ResourceArns)
            .AddList("Tags", request.Tags, ElbV2Wire.WriteTag), cancellationToken);
        return new();
    }

    public async Task<RemoveTagsResponse> RemoveTagsAsync(RemoveTagsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SendAsync("RemoveTags", new QueryParameters()
            .AddList("ResourceArns", request.ResourceArns)
            .AddList("TagKeys", request.TagKeys), cancellationToken);
        return new();
    }

    public async Task<CreateLoadBalancerResponse> CreateLoadBalancerAsync(CreateLoadBalancerRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("CreateLoadBalancer", new QueryParameters()
            .Add("Name", request.Name)
            .AddList("Subnets", request.Subnets)
            .AddList("SecurityGroups", request.SecurityGroups)
            .Add("Scheme", request.Scheme)
            .AddList("Tags", request.Tags, ElbV2Wire.WriteTag)
            .Add("Type", request.Type)
            .Add("IpAddressType", request.IpAddressType), cancellationToken);
        return new(result.Members("LoadBalancers").Select(ElbV2Wire.ReadLoadBalancer).ToList());
    }

    public async Task<CreateTargetGroupResponse> CreateTargetGroupAsync(CreateTargetGroupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("CreateTargetGroup", new QueryParameters()
            .Add("Name", request.Name)
            .Add("Protocol", request.Protocol)
            .Add("ProtocolVersion", request.ProtocolVersion)
            .Add("Port", request.Port)
            .Add("VpcId", request.VpcId)
            .Add("HealthCheckProtocol", request.HealthCheckProtocol)
            .Add("HealthCheckPort", request.HealthCheckPort)
            .Add("HealthCheckEnabled", request.HealthCheckEnabled)
            .Add("HealthCheckPath", request.HealthCheckPath)
            .Add("HealthCheckIntervalSeconds", request.HealthCheckIntervalSeconds)
            .Add("HealthCheckTimeoutSeconds", request.HealthCheckTimeoutSeconds)
            .Add("HealthyThresholdCount", request.HealthyThresholdCount)
            .Add("UnhealthyThresholdCount", request.UnhealthyThresholdCount)
            .AddStruct("Matcher", request.Matcher, (m, v) => m.Add("HttpCode", v.HttpCode).Add("GrpcCode", v.GrpcCode))
            .Add("TargetType", request.TargetType)
            .AddList("Tags", request.Tags, ElbV2Wire.WriteTag)
            .Add("IpAddressType", request.IpAddressType), cancellationToken);
        return new(result.Members("TargetGroups").Select(ElbV2Wire.ReadTargetGroup).ToList());
    }

    public async Task<CreateListenerResponse> CreateListenerAsync(CreateListenerRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("CreateListener", new QueryParameters()
            .Add("LoadBalancerArn", request.LoadBalancerArn)
            .Add("Protocol", request.Protocol)
            .Add("Port", request.Port)
            .Add("SslPolicy", request.SslPolicy)
            .AddList("Certificates", request.Certificates, ElbV2Wire.WriteCertificate)
            .AddList("DefaultActions", request.DefaultActions, ElbV2Wire.WriteAction)
            .AddList("AlpnPolicy", request.AlpnPolicy)
            .AddList("Tags", request.Tags, ElbV2Wire.WriteTag), cancellationToken);
        return new(result.Members("Listeners").Select(ElbV2Wire.ReadListener).ToList());
    }

    public async Task<CreateRuleResponse> CreateRuleAsync(CreateRuleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync("CreateRule", new QueryParameters()
            .Add("ListenerArn", request.ListenerArn)
            .AddList("Conditions", request.Conditions, ElbV2Wire.WriteCondition)
            .Add("Priority", request.Priority)
            .AddList("Actions", request.Actions, ElbV2Wire.WriteAction)
            .AddList("Tags", request.Tags, ElbV2Wire.WriteTag), cancellationToken);
        return new(result.Members("Rules").Select(ElbV2Wire.ReadRule).ToList());
    }

    /// <summary>Deletes a listener rule (not the default rule). AWS answers <c>RuleNotFound</c> for a rule that is gone; moto 5.2.1 answers success.</summary>
    public async Task<DeleteRuleResponse> DeleteRuleAsync(DeleteRuleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SendAsync("DeleteRule", new QueryParameters()
            .Add("RuleArn", request.RuleArn), cancellationToken);
        return new();
    }

    private Task<XElement> SendAsync(string action, QueryParameters parameters, CancellationToken cancellationToken) =>
        _query.SendAsync(action, parameters, cancellationToken);
}
