using Azure.Core.Pipeline;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// Where the ARM clients send their calls and how hard they try. Plain values with defaults; <see cref="Validate"/> checks them.
/// Retries are Azure.Core's <c>RetryPolicy</c> (429, 408, 500, 502, 503, 504 and network failures, honouring
/// <c>Retry-After</c>); these values only bound it.
/// </summary>
internal sealed record ArmClientOptions
{
    /// <summary>
    /// The Resource Manager endpoint. Override it for a sovereign cloud (e.g. <c>https://management.chinacloudapi.cn</c>,
    /// <c>https://management.usgovcloudapi.net</c>) or an emulator.
    /// </summary>
    public Uri ResourceManagerEndpoint { get; init; } = ArmClientDefaults.ResourceManagerEndpoint;

    /// <summary>
    /// The audience of the ARM token; the token scope is <c>{audience}/.default</c>. Null means the endpoint's origin, which is
    /// what the public and sovereign clouds use (Azure.ResourceManager <c>ArmEnvironment</c>: endpoint and audience are the same host).
    /// </summary>
    public string? ResourceManagerAudience { get; init; }

    /// <summary>One HTTP attempt that has not answered by then is abandoned and retried (Azure.Core <c>RetryOptions.NetworkTimeout</c>).</summary>
    public TimeSpan NetworkTimeout { get; init; } = ArmClientDefaults.NetworkTimeout;

    /// <summary>Retries after the first attempt (Azure.Core <c>RetryOptions.MaxRetries</c>).</summary>
    public int MaxRetries { get; init; } = ArmClientDefaults.MaxRetries;

    /// <summary>The first exponential back-off delay when the answer carries no <c>Retry-After</c>.</summary>
    public TimeSpan RetryDelay { get; init; } = ArmClientDefaults.RetryDelay;

    /// <summary>No back-off that zdp computes itself is longer than this (a server's <c>Retry-After</c> may be; the budget bounds that).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = ArmClientDefaults.RetryMaxDelay;

    /// <summary>
    /// All attempts of one request together, token acquisition and back-off included, give up after this. Each poll of a
    /// long-running operation is one request with its own budget; the operation as a whole is bounded by the caller's token.
    /// </summary>
    public TimeSpan TotalRetryBudget { get; init; } = ArmClientDefaults.TotalRetryBudget;

    /// <summary>How long to wait between polls of a long-running operation whose answer has no <c>Retry-After</c>.</summary>
    public TimeSpan DefaultPollInterval { get; init; } = ArmClientDefaults.DefaultPollInterval;

    /// <summary>A server's <c>Retry-After</c> on a poll is honoured up to this.</summary>
    public TimeSpan MaxPollInterval { get; init; } = ArmClientDefaults.MaxPollInterval;

    /// <summary>The HTTP transport; null is Azure.Core's default. Tests pass one that trusts the emulator's certificate authority.</summary>
    public HttpPipelineTransport? Transport { get; init; }

    /// <summary>The token scope for <see cref="ResourceManagerAudience"/>.</summary>
    public string TokenScope =>
        (ResourceManagerAudience ?? ResourceManagerEndpoint.GetLeftPart(UriPartial.Authority)).TrimEnd('/') + "/.default";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value and how to fix it.</summary>
    public void Validate()
    {
        if (!ResourceManagerEndpoint.IsAbsoluteUri || ResourceManagerEndpoint.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core's BearerTokenAuthenticationPolicy refuses to send a token over plain HTTP.
            throw new ArgumentException(
                $"the Resource Manager endpoint '{ResourceManagerEndpoint}' must be an absolute https:// URL such as {ArmClientDefaults.ResourceManagerEndpoint}.",
                nameof(ResourceManagerEndpoint));
        }

        if (ResourceManagerAudience is { } audience && !Uri.TryCreate(audience, UriKind.Absolute, out _))
        {
            throw new ArgumentException(
                $"the Resource Manager audience '{audience}' must be an absolute URI such as https://management.azure.com, or unset to use the endpoint.",
                nameof(ResourceManagerAudience));
        }

        if (NetworkTimeout <= TimeSpan.Zero || NetworkTimeout > TotalRetryBudget)
        {
            throw new ArgumentException(
                $"NetworkTimeout ({NetworkTimeout}) must be positive and no longer than TotalRetryBudget ({TotalRetryBudget}).", nameof(NetworkTimeout));
        }

        if (MaxRetries is < 0 or > ArmClientDefaults.MaxRetriesLimit)
        {
            throw new ArgumentException($"MaxRetries must be between 0 and {ArmClientDefaults.MaxRetriesLimit}, not {MaxRetries}.", nameof(MaxRetries));
        }

        if (RetryDelay < TimeSpan.Zero || RetryMaxDelay < RetryDelay)
        {
            throw new ArgumentException($"retry delays must satisfy 0 <= RetryDelay ({RetryDelay}) <= RetryMaxDelay ({RetryMaxDelay}).", nameof(RetryMaxDelay));
        }

        if (TotalRetryBudget <= TimeSpan.Zero || TotalRetryBudget > ArmClientDefaults.TotalRetryBudgetLimit)
        {
            throw new ArgumentException(
                $"TotalRetryBudget ({TotalRetryBudget}) must be positive and at most {ArmClientDefaults.TotalRetryBudgetLimit}: the deployment lease must outlive one call.",
                nameof(TotalRetryBudget));
        }

        if (DefaultPollInterval <= TimeSpan.Zero || MaxPollInterval < DefaultPollInterval)
        {
            throw new ArgumentException(
                $"poll intervals must satisfy 0 < DefaultPollInterval ({DefaultPollInterval}) <= MaxPollInterval ({MaxPollInterval}).", nameof(MaxPollInterval));
        }
    }
}

/// <summary>The defaults of <see cref="ArmClientOptions"/>, each with why.</summary>
internal static class ArmClientDefaults
{
    /// <summary>The public cloud (Azure.ResourceManager <c>ArmEnvironment.AzureCloud</c>).</summary>
    public static readonly Uri ResourceManagerEndpoint = new("https://management.azure.com");

    /// <summary>
    /// 20 s per attempt instead of Azure.Core's 100 s: every call zdp makes is a small GET or the initial POST of an async
    /// operation, which ARM answers in well under a second; a silent connection is better retried than waited on.
    /// </summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(20);

    /// <summary>3, Azure.Core's own default (<c>RetryOptions.MaxRetries</c>): four attempts outlast a throttling burst.</summary>
    public const int MaxRetries = 3;

    /// <summary>A sanity bound for <see cref="ArmClientOptions.MaxRetries"/>: past this a retry loop hides an outage.</summary>
    public const int MaxRetriesLimit = 10;

    /// <summary>0.8 s, Azure.Core's default first back-off (<c>RetryOptions.Delay</c>).</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(0.8);

    /// <summary>10 s rather than Azure.Core's 60 s, so that three back-offs fit well inside <see cref="TotalRetryBudget"/>.</summary>
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// 60 s for all attempts of one request: well under the engine's 2-minute lease, so a deployment stuck on a throttled
    /// ARM call fails (and can roll back or resume) while it still holds the lease. A 429's <c>Retry-After</c> longer than what
    /// remains ends the request here instead of stretching it.
    /// </summary>
    public static readonly TimeSpan TotalRetryBudget = TimeSpan.FromSeconds(60);

    /// <summary>The upper bound for <see cref="ArmClientOptions.TotalRetryBudget"/>: the engine's lease.</summary>
    public static readonly TimeSpan TotalRetryBudgetLimit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// 10 s between polls when ARM sends no <c>Retry-After</c>: a swap takes minutes (warm-up of every instance), so faster
    /// polling only spends read quota (ARM async-operations guide: poll at the interval <c>Retry-After</c> gives).
    /// </summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(10);

    /// <summary>60 s: a longer <c>Retry-After</c> on a poll would leave the engine blind for too long.</summary>
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(60);
}
