using System.Text.RegularExpressions;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>Where the AWS clients send their calls and how hard they try. Plain values with defaults; <see cref="Validate"/> checks them.</summary>
internal sealed partial record AwsClientOptions
{
    /// <summary>The AWS region, e.g. <c>eu-west-1</c>: picks the endpoint and the SigV4 credential scope.</summary>
    public required string Region { get; init; }

    /// <summary>
    /// Sends every call to this URL instead of the regional endpoint (moto_server, LocalStack, a VPC endpoint).
    /// The calls are still signed for <see cref="Region"/>.
    /// </summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Attempts per call, the first included. Throttling, HTTP 500/502/503/504 and network failures are retried; nothing else.</summary>
    public int MaxAttempts { get; init; } = AwsClientDefaults.MaxAttempts;

    /// <summary>The median delay before the first retry; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = AwsClientDefaults.RetryBaseDelay;

    /// <summary>No single wait between attempts is longer than this.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = AwsClientDefaults.RetryMaxDelay;

    /// <summary>One HTTP attempt that has not answered by then is abandoned and counts as a network failure.</summary>
    public TimeSpan AttemptTimeout { get; init; } = AwsClientDefaults.AttemptTimeout;

    /// <summary>
    /// The whole call, every attempt and every wait between them: after this the call gives up, even with attempts left,
    /// so that a lease renewal caught in retries still lands (or fails) while the lease holds.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = AwsClientDefaults.CallTimeout;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Region) || !RegionPattern().IsMatch(Region))
        {
            throw new ArgumentException($"AWS region '{Region}' is not a region name such as 'us-east-1'.", nameof(Region));
        }

        if (EndpointUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"AWS endpoint URL '{url}' must be an absolute http:// or https:// URL.", nameof(EndpointUrl));
        }

        if (MaxAttempts is < 1 or > AwsClientDefaults.MaxAttemptsLimit)
        {
            throw new ArgumentException($"MaxAttempts must be between 1 and {AwsClientDefaults.MaxAttemptsLimit}, not {MaxAttempts}.", nameof(MaxAttempts));
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentException($"Retry delays must satisfy 0 <= RetryBaseDelay ({RetryBaseDelay}) <= RetryMaxDelay ({RetryMaxDelay}).", nameof(RetryMaxDelay));
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"AttemptTimeout must be positive, not {AttemptTimeout}.", nameof(AttemptTimeout));
        }

        if (CallTimeout < AttemptTimeout)
        {
            throw new ArgumentException($"CallTimeout ({CallTimeout}) must be at least AttemptTimeout ({AttemptTimeout}).", nameof(CallTimeout));
        }
    }

    // Region names are lower-case letters, digits and dashes (botocore data/partitions.json regionRegex).
    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}

/// <summary>The defaults of <see cref="AwsClientOptions"/>, each with where it comes from.</summary>
internal static class AwsClientDefaults
{
    /// <summary>
    /// 5 attempts: botocore's "legacy" retry mode allows 5 (data/_retry.json <c>max_attempts</c>; "standard" mode 3). A deployment that gives up on a
    /// throttled Describe call rolls back for nothing, so we lean to the larger number; ELB refills 10 tokens/s (ELB guide,
    /// elb-api-throttling.html), so five attempts over ~15 s outlast any burst we cause. <see cref="CallTimeout"/> bounds them all.
    /// </summary>
    public const int MaxAttempts = 5;

    /// <summary>A sanity bound for <see cref="AwsClientOptions.MaxAttempts"/>: past this a retry loop hides an outage.</summary>
    public const int MaxAttemptsLimit = 20;

    /// <summary>1 s: botocore's throttling scale (retries/standard.py <c>ExponentialBackoff</c>: wait rand(0,1)·min(2^i, 20) s).</summary>
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>20 s: botocore's <c>_MAX_BACKOFF</c> (retries/standard.py).</summary>
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(20);

    /// <summary>
    /// 10 s, not botocore's 60 s (endpoint.py <c>DEFAULT_TIMEOUT</c>, sized for any service, S3 uploads included). ELBv2 and
    /// CloudWatch calls are small requests with small answers; one that has not answered in 10 s is a stuck connection
    /// far more often than a slow API, and a fresh attempt on a new connection is the cure. Five 60 s attempts were
    /// seen to take 309 s against a silent endpoint, longer than the 2-minute lease zdp holds meanwhile.
    /// </summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// 45 s for a whole call. The engine renews its 2-minute lease every 30 s (EngineDefaults.LeaseDuration / 4): a renewal
    /// that starts 30 s after the last one and uses the whole budget is done at 75 s, and the next try (at 105 s) can still
    /// land before the lease and the lease rule's 10 s clock-skew allowance run out. Within it fit four silent attempts
    /// (10 s each, with the 1-2-4 s backoff), or all five against throttling.
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(45);
}
