using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>Clients pointed at moto_server (or a proxy in front of it) with moto's dummy credentials and short retry waits.</summary>
/// <remarks>
/// Where moto 5.2.1 answers differently from AWS, as read in its XML answers and its source
/// (site-packages/moto/elbv2, moto/cloudwatch), against the botocore models and AWS docs cited in shared/reference/aws.md:
/// <list type="bullet">
/// <item>It does not check SigV4 signatures (server mode without IAM auth), so QueryRequestSignerTests check ours against botocore instead.</item>
/// <item>DescribeTargetGroups and DescribeListeners ignore PageSize and Marker and never send NextMarker (elbv2/responses.py);
/// AWS pages them (elbv2 paginators-1.json). DescribeLoadBalancers and DescribeRules do page; moto's marker is the last
/// item's name or ARN, AWS's is opaque.</item>
/// <item>Targets are "healthy" as soon as they are registered and "unused/Target.NotRegistered" as soon as they are
/// deregistered (elbv2/models.py health_for); AWS goes through initial and draining (aws.md §4).</item>
/// <item>An HTTP listener is given SslPolicy ELBSecurityPolicy-2016-08 (elbv2/responses.py create_listener); AWS sets none.
/// A ForwardConfig is stored with TargetGroupStickinessConfig.Enabled=false and Weight 1 where they were left out (models.py FakeAction).</item>
/// <item>GetMetricData buckets start at StartTime rather than on period boundaries, never sends NextToken, and evaluates only
/// an Expression that is another query's id (cloudwatch/metric_data_expression_parser.py); AWS does full metric math.</item>
/// <item>New alarms start in OK; AWS starts them in INSUFFICIENT_DATA (cloudwatch model, PutMetricAlarm).</item>
/// </list>
/// Not a difference, but something the parser must accept: PutMetricData (no output shape in the cloudwatch model) is
/// answered with no PutMetricDataResult element at all, while ELBv2's empty outputs come as an empty &lt;OpResult/&gt;.
/// </remarks>
internal static class Moto
{
    /// <summary>A region other than moto's default, so tests see that the signed region is the one used.</summary>
    public const string Region = "eu-west-1";

    public const string AccountId = "123456789012";

    public static readonly AwsCredentialsSource DummyCredentials = AwsCredentialsSource.FromKeys("testing", "testing", description: "moto's dummy keys");

    /// <summary>EC2 spoken over the same transport, only to make the VPC and subnets an ALB needs.</summary>
    internal static readonly AwsQueryService Ec2 = new("ec2", "ec2", "2016-11-15", "ec2");

    public static AwsClientFactory Factory(Uri endpoint, AwsCredentialsSource? credentials = null, int maxAttempts = AwsClientDefaults.MaxAttempts) =>
        new(Options(endpoint, maxAttempts), credentials ?? DummyCredentials);

    /// <summary>Millisecond retry waits keep the fault tests fast; the retry count and policy are the production ones.</summary>
    public static AwsClientOptions Options(Uri endpoint, int maxAttempts = AwsClientDefaults.MaxAttempts) => new()
    {
        Region = Region,
        EndpointUrl = endpoint,
        MaxAttempts = maxAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };
}
