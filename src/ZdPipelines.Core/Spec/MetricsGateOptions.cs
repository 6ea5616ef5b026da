namespace ZdPipelines.Core.Spec;

/// <summary>
/// Per-version metrics the platform records itself (the local proxy, the simulated platform), read through
/// <see cref="Platforms.IPlatformMetrics"/>. Owned by the core because it needs nothing but that capability.
/// </summary>
public sealed record MetricsGateOptions : GateSourceOptions
{
    public const string Key = "metrics";

    public required PlatformMetric Metric { get; init; }
    public Plans.Side Side { get; init; } = Plans.Side.Candidate;
    /// <summary>Trailing window the metric is computed over.</summary>
    public TimeSpan Window { get; init; } = MetricsGateDefaults.Window;

    public override string Kind => Key;

    public override string? RatioName => Metric == PlatformMetric.ErrorRate ? "errorRate" : null;
}

public static class MetricsGateDefaults
{
    /// <summary>Three gate intervals of the default 10 s: each measurement sees fresh requests, not only the last few.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
}

public enum PlatformMetric
{
    Requests,
    ErrorRate,
    LatencyP95Ms,
}
