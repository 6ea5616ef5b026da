using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Azure.Gates;

/// <summary>
/// A gate read from Azure Monitor with Metrics_List on the site or slot that holds a side: a preset for App Service's own
/// HTTP metrics, or one metric with an aggregation. Each measurement reads the trailing window, cut at the moment the side
/// took that slot when a swap happened inside it, so a post-swap gate does not count the previous version's requests.
/// </summary>
public sealed record AzureMonitorGateOptions : GateSourceOptions
{
    public const string Key = "azureMonitor";

    public AzureMonitorPreset? Preset { get; init; }

    /// <summary>Instead of a preset: an App Service metric by its REST name, e.g. Http4xx, AverageMemoryWorkingSet.</summary>
    public string? Metric { get; init; }

    /// <summary>How <see cref="Metric"/>'s grains combine into the measurement; total by default.</summary>
    public AzureMonitorAggregation Aggregation { get; init; } = AzureMonitorAggregation.Total;

    /// <summary>Which version's slot (or, rolling, which apps' production) is read.</summary>
    public Side Side { get; init; } = Side.Candidate;

    /// <summary>The time grain (Metrics_List interval).</summary>
    public TimeSpan Interval { get; init; } = AzureMonitorDefaults.Interval;

    /// <summary>Trailing window read for each measurement.</summary>
    public TimeSpan Window { get; init; } = AzureMonitorDefaults.Window;

    public override string Kind => Key;

    public override string? RatioName => Preset == AzureMonitorPreset.Http5xxRate ? "http5xxRate" : null;
}

public static class AzureMonitorDefaults
{
    /// <summary>One minute, the finest grain App Service metrics have (and Metrics_List's own default).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Five one-minute grains: a quiet minute does not make the measurement empty.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>The time grains App Service metrics are kept at (supported-metrics list of Microsoft.Web/sites).</summary>
    public static readonly IReadOnlyList<TimeSpan> Grains =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
    ];
}

/// <summary>Ready-made App Service metrics of the side's slot; the value of each is computed over the window.</summary>
public enum AzureMonitorPreset
{
    /// <summary>Sum of Http5xx / sum of Requests: a ratio from 0 to 1.</summary>
    Http5xxRate,

    /// <summary>Mean of HttpResponseTime's per-grain averages, in seconds.</summary>
    ResponseTime,

    /// <summary>Sum of Requests.</summary>
    Requests,
}

/// <summary>Metrics_List aggregations, and how the grains of the window combine under each.</summary>
public enum AzureMonitorAggregation
{
    /// <summary>The sum of the grains' totals.</summary>
    Total,

    /// <summary>The mean of the grains' averages.</summary>
    Average,

    /// <summary>The smallest grain minimum.</summary>
    Minimum,

    /// <summary>The largest grain maximum.</summary>
    Maximum,

    /// <summary>The sum of the grains' counts.</summary>
    Count,
}
