namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// Makes the AWS clients for one region and one credentials source, sharing one HTTP connection pool. Dispose it
/// when the clients are no longer used.
/// </summary>
internal sealed class AwsClientFactory : IDisposable
{
    /// <summary>Connections are re-made after this, so a DNS change behind an endpoint is followed (SocketsHttpHandler guidance).</summary>
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Func<double>? _randomizer;

    /// <param name="options">Region, optional endpoint URL, retry bounds; validated here.</param>
    /// <param name="credentials">Where credentials come from: <see cref="AwsCredentialsSource.FromDefaultChain"/> in most cases.</param>
    /// <param name="timeProvider">The clock for request dates and retry waits.</param>
    /// <param name="handler">The HTTP handler to send through (tests); owned by the factory from then on.</param>
    public AwsClientFactory(AwsClientOptions options, AwsCredentialsSource credentials, TimeProvider? timeProvider = null, HttpMessageHandler? handler = null)
        : this(options, credentials, timeProvider, handler, null)
    {
    }

    /// <param name="randomizer">The jitter source for retry delays, values in [0, 1) (a seeded one in tests).</param>
    internal AwsClientFactory(
        AwsClientOptions options, AwsCredentialsSource credentials, TimeProvider? timeProvider, HttpMessageHandler? handler, Func<double>? randomizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        options.Validate();
        Options = options;
        Credentials = credentials;
        _time = timeProvider ?? TimeProvider.System;
        _randomizer = randomizer;

        // Each attempt has its own timeout (AwsClientOptions.AttemptTimeout), so HttpClient's own is off.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public AwsClientOptions Options { get; }

    public AwsCredentialsSource Credentials { get; }

    public ElbV2Client CreateElbV2Client() => new(CreateQueryClient(AwsQueryService.ElasticLoadBalancingV2));

    public CloudWatchClient CreateCloudWatchClient() => new(CreateQueryClient(AwsQueryService.CloudWatch));

    internal AwsQueryClient CreateQueryClient(AwsQueryService service) => new(_http, service, Options, Credentials, _time, _randomizer);

    public void Dispose() => _http.Dispose();
}
