using Azure.Core.Pipeline;

namespace ZdPipelines.Platforms.Azure.Leases;

/// <summary>How the blob lease talks to Azure Storage: the bounds of one call, and (tests) the transport.</summary>
internal sealed record BlobLeaseOptions
{
    /// <summary>One HTTP attempt that has not answered by then is abandoned and retried (Azure.Core <c>RetryOptions.NetworkTimeout</c>).</summary>
    public TimeSpan NetworkTimeout { get; init; } = BlobLeaseDefaults.NetworkTimeout;

    /// <summary>Retries after the first attempt (Azure.Core <c>RetryOptions.MaxRetries</c>).</summary>
    public int MaxRetries { get; init; } = BlobLeaseDefaults.MaxRetries;

    /// <summary>The first exponential back-off delay.</summary>
    public TimeSpan RetryDelay { get; init; } = BlobLeaseDefaults.RetryDelay;

    /// <summary>No back-off is longer than this.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = BlobLeaseDefaults.RetryMaxDelay;

    /// <summary>All attempts of one lease call together give up after this, on the platform's clock.</summary>
    public TimeSpan CallBudget { get; init; } = BlobLeaseDefaults.CallBudget;

    /// <summary>
    /// How often, and how long apart, a refused run reads the blob again to name its holder: the run that won may have taken
    /// the lease and not yet written who it is.
    /// </summary>
    public int HolderReads { get; init; } = BlobLeaseDefaults.HolderReads;

    public TimeSpan HolderReadInterval { get; init; } = BlobLeaseDefaults.HolderReadInterval;

    /// <summary>The HTTP transport; null is Azure.Core's default. Tests pass one that trusts the emulator's certificate authority.</summary>
    public HttpPipelineTransport? Transport { get; init; }
}

/// <summary>The defaults of <see cref="BlobLeaseOptions"/>, each with why.</summary>
internal static class BlobLeaseDefaults
{
    /// <summary>20 s per attempt, as for ARM (<c>ArmClientDefaults.NetworkTimeout</c>): a lease call is a small request Storage answers in milliseconds.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(20);

    /// <summary>3, Azure.Core's own default: four attempts outlast a throttling burst (Storage answers 503 ServerBusy when it throttles).</summary>
    public const int MaxRetries = 3;

    /// <summary>0.8 s, Azure.Core's default first back-off.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(0.8);

    /// <summary>10 s rather than Azure.Core's 60 s, so that three back-offs fit inside <see cref="CallBudget"/>.</summary>
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// 30 s for one call with its retries: the engine renews every 30 s and fences at 100 s (its 2-minute lease less a 20 s
    /// margin), so a renewal that gives up here leaves time for the next one before the run stops.
    /// </summary>
    public static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(30);

    /// <summary>Three reads 0.5 s apart: the winner writes its record in the call right after it takes the lease (milliseconds).</summary>
    public const int HolderReads = 3;

    public static readonly TimeSpan HolderReadInterval = TimeSpan.FromMilliseconds(500);
}
