namespace ZdPipelines.Core.Spec;

/// <summary>
/// A metric gate: a source, a condition, and how often and how many times to measure. The source's options are
/// defined by the source's owner (http and command by ZdPipelines.Gates, metrics by the core, CloudWatch by AWS).
/// </summary>
public sealed record GateSpec
{
    public required string Name { get; init; }
    public required GateSourceOptions Source { get; init; }
    public required GateCondition Condition { get; init; }
    public TimeSpan Interval { get; init; } = GateDefaults.Interval;
    /// <summary>How many measurements make up the gate.</summary>
    public int Count { get; init; } = GateDefaults.Count;
    /// <summary>How many failed measurements are tolerated; one more fails the gate.</summary>
    public int FailureLimit { get; init; } = GateDefaults.FailureLimit;
    /// <summary>How many inconclusive measurements are tolerated before the gate is inconclusive.</summary>
    public int InconclusiveLimit { get; init; } = GateDefaults.InconclusiveLimit;
    /// <summary>Fewer samples than this in a measurement means "no data".</summary>
    public int MinSamples { get; init; } = GateDefaults.MinSamples;
    public NoDataPolicy NoData { get; init; } = GateDefaults.NoData;

    /// <summary>The key of the source block ("http", "metrics", …); gate sources are looked up by it.</summary>
    public string SourceKind => Source.Kind;

    /// <summary>The source options as the owner's record type, or null when the gate reads another source.</summary>
    public T? SourceAs<T>()
        where T : GateSourceOptions => Source as T;
}

/// <summary>The base of every gate source's options record (the block under a gate, e.g. http: { … }).</summary>
public abstract record GateSourceOptions
{
    /// <summary>The key of the block in zdp.yml, which is also <see cref="Gates.IGateSource.Kind"/>.</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// The name of the ratio (0..1) this source measures, e.g. "errorRate", or null when its values are not a ratio.
    /// A ratio's threshold above 1 is rejected: "&lt; 5" meaning 5 % would always pass, a gate that protects nothing.
    /// </summary>
    public virtual string? RatioName => null;
}

public static class GateDefaults
{
    /// <summary>Flagger's analysis interval is 60 s; a deploy tool run from CI wants a faster loop.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    /// <summary>Three measurements: one bad minute is noticed, one noisy sample is not the whole verdict.</summary>
    public const int Count = 3;
    /// <summary>Argo Rollouts' failureLimit default: the first failure fails the gate.</summary>
    public const int FailureLimit = 0;
    /// <summary>Argo Rollouts' inconclusiveLimit default: an inconclusive measurement makes the gate inconclusive.</summary>
    public const int InconclusiveLimit = 0;
    /// <summary>One sample is data; zero is "no data", which <see cref="NoData"/> decides about.</summary>
    public const int MinSamples = 1;
    /// <summary>No data is neither pass nor fail: low-traffic canaries must not be failed for silence (flagger #1035).</summary>
    public const NoDataPolicy NoData = NoDataPolicy.Inconclusive;
}

public static class GateLimits
{
    public static readonly SpecRange Count = new(1);
    public static readonly SpecRange MinSamples = new(0);
    public static readonly SpecRange Limit = new(0);
}

public enum NoDataPolicy
{
    Inconclusive,
    Pass,
    Fail,
}
