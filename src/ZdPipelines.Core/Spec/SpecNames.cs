using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Spec;

/// <summary>
/// The words zdp.yml uses for shared enumerations. Spelt out rather than derived from C# member names: the file
/// format is a public contract and must not change when a member is renamed.
/// </summary>
public static class SpecNames
{
    public static IReadOnlyList<(string Name, Side Value)> Sides { get; } = [("stable", Side.Stable), ("candidate", Side.Candidate)];

    public static IReadOnlyList<(string Name, PlatformMetric Value)> Metrics { get; } =
        [("requests", PlatformMetric.Requests), ("errorRate", PlatformMetric.ErrorRate), ("latencyP95Ms", PlatformMetric.LatencyP95Ms)];

    public static IReadOnlyList<(string Name, NoDataPolicy Value)> NoDataPolicies { get; } =
        [("inconclusive", NoDataPolicy.Inconclusive), ("pass", NoDataPolicy.Pass), ("fail", NoDataPolicy.Fail)];

    public static IReadOnlyList<(string Name, InconclusiveAction Value)> InconclusiveActions { get; } =
        [("rollback", InconclusiveAction.Rollback), ("continue", InconclusiveAction.Continue)];

    /// <summary>The names alone, for schema enumerations and "one of" messages.</summary>
    public static IReadOnlyList<string> Of<T>(IReadOnlyList<(string Name, T Value)> values) => [.. values.Select(v => v.Name)];
}
