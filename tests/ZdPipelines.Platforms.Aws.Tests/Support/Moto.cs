using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>Clients pointed at moto_server (or a proxy in front of it) with moto's dummy credentials and short retry waits.</summary>
public static class Moto
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
