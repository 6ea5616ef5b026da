namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// One AWS service spoken over the Query protocol: its endpoint prefix, SigV4 signing name, API version and IAM
/// action prefix. The values come from each service's botocore model (service-2.json <c>metadata</c>).
/// </summary>
/// <param name="EndpointPrefix">The host label: <c>https://{EndpointPrefix}.{region}.amazonaws.com</c>.</param>
/// <param name="SigningName">The SigV4 credential-scope service. Neither model sets <c>signingName</c>, so botocore uses the endpoint prefix (model.py).</param>
/// <param name="Version">The <c>Version</c> form field.</param>
/// <param name="IamPrefix">The prefix of IAM actions, e.g. <c>cloudwatch</c> for the <c>monitoring</c> endpoint.</param>
internal sealed record AwsQueryService(string EndpointPrefix, string SigningName, string Version, string IamPrefix)
{
    /// <summary>ELBv2 (ALB/NLB): elbv2/2015-12-01/service-2.json, <c>protocol: query</c>.</summary>
    public static readonly AwsQueryService ElasticLoadBalancingV2 = new("elasticloadbalancing", "elasticloadbalancing", "2015-12-01", "elasticloadbalancing");

    /// <summary>
    /// CloudWatch: cloudwatch/2010-08-01/service-2.json lists <c>protocols: [smithy-rpc-v2-cbor, json, query]</c> since 2025;
    /// Query is still served (and is what moto 5.2.1, the AWS CLI v2.31 and Terraform were seen to speak).
    /// </summary>
    public static readonly AwsQueryService CloudWatch = new("monitoring", "monitoring", "2010-08-01", "cloudwatch");

    /// <summary>
    /// The endpoint for <paramref name="region"/>: <paramref name="endpointUrl"/> when given (moto, LocalStack, a proxy),
    /// else <c>https://{prefix}.{region}.{dnsSuffix}</c> with the DNS suffix of the region's partition
    /// (botocore data/partitions.json: <c>amazonaws.com.cn</c> for <c>cn-</c> regions, <c>amazonaws.com</c> otherwise).
    /// </summary>
    public Uri EndpointFor(string region, Uri? endpointUrl) =>
        endpointUrl ?? new Uri($"https://{EndpointPrefix}.{region}.{DnsSuffix(region)}/");

    internal static string DnsSuffix(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
}
