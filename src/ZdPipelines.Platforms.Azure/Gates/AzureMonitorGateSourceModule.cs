using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;
using ZdPipelines.Platforms.Azure.AppService;

namespace ZdPipelines.Platforms.Azure.Gates;

/// <summary>The azureMonitor gate source: Metrics_List on the App Service site or slot holding a side (a preset, or one metric).</summary>
public sealed class AzureMonitorGateSourceModule : IGateSourceModule
{
    private static readonly IReadOnlyList<string> Keys = ["preset", "metric", "aggregation", "side", "interval", "window"];

    private static readonly IReadOnlyList<(string Name, AzureMonitorPreset Value)> Presets =
        [("http5xxRate", AzureMonitorPreset.Http5xxRate), ("responseTime", AzureMonitorPreset.ResponseTime), ("requests", AzureMonitorPreset.Requests)];

    private static readonly IReadOnlyList<(string Name, AzureMonitorAggregation Value)> Aggregations =
    [
        ("total", AzureMonitorAggregation.Total), ("average", AzureMonitorAggregation.Average), ("minimum", AzureMonitorAggregation.Minimum),
        ("maximum", AzureMonitorAggregation.Maximum), ("count", AzureMonitorAggregation.Count),
    ];

    public string Key => AzureMonitorGateOptions.Key;

    public string Reads => "reads Azure Monitor";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(AzureMonitorGateSourceModule), "azureMonitor.schema.json");

    /// <summary>The keys of the block, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["gates[].azureMonitor"] = Keys,
    };

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Enums { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["gates[].azureMonitor.preset"] = SpecNames.Of(Presets),
        ["gates[].azureMonitor.aggregation"] = SpecNames.Of(Aggregations),
        ["gates[].azureMonitor.side"] = SpecNames.Of(SpecNames.Sides),
    };

    public GateSourceOptions? Bind(SpecMapping gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var block = gate.RequiredMapping(Key, Keys, "azureMonitor: { preset: http5xxRate, side: candidate }",
            "add azureMonitor: { preset: http5xxRate } or azureMonitor: { metric: Http4xx, aggregation: total }.");
        if (block is null)
        {
            return null;
        }

        var defaults = new AzureMonitorGateOptions();
        return defaults with
        {
            Preset = block.Enum("preset", Presets),
            Metric = block.Text("metric", "write an App Service metric's name, e.g. metric: Http4xx."),
            Aggregation = block.Enum("aggregation", Aggregations) ?? defaults.Aggregation,
            Side = block.Enum("side", SpecNames.Sides) ?? defaults.Side,
            Interval = block.Duration("interval") ?? defaults.Interval,
            Window = block.Duration("window") ?? defaults.Window,
        };
    }

    public void Validate(GateSourceOptions options, string path, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var monitor = (AzureMonitorGateOptions)options;
        var hasPreset = monitor.Preset is not null || problems.IsUnreadable($"{path}.preset");
        var hasMetric = monitor.Metric is not null || problems.IsUnreadable($"{path}.metric");
        if (hasPreset == hasMetric && !problems.HasUnknownKeys(path))
        {
            if (hasPreset)
            {
                problems.AddAt(path, $"{path}.metric", "azureMonitor has both preset and metric; it measures one of them.",
                    "keep preset for a ready-made App Service metric, or metric (with aggregation) for another.", atKey: true);
            }
            else
            {
                problems.Add(path, "azureMonitor needs a preset or a metric.", "add preset: http5xxRate (or responseTime, requests), or metric: Http4xx with aggregation: total.");
            }
        }

        if (hasPreset && problems.IsWritten($"{path}.aggregation"))
        {
            problems.AddAtKey($"{path}.aggregation", "aggregation applies to metric; a preset combines its metrics itself.", "remove aggregation, or replace preset with metric.");
        }

        var metricPath = $"{path}.metric";
        if (monitor.Metric is { } metric && !problems.IsUnreadable(metricPath) && (metric.Length == 0 || metric.Contains(',', StringComparison.Ordinal)))
        {
            problems.Add(metricPath, $"'{metric}' is not one metric name.", "write one App Service metric by its REST name, e.g. metric: Http4xx; use one gate per metric.");
        }

        var interval = AzureMonitorDefaults.Interval;
        var intervalPath = $"{path}.interval";
        if (problems.CheckPositive(intervalPath, monitor.Interval) && !problems.IsUnreadable(intervalPath))
        {
            if (!AzureMonitorDefaults.Grains.Contains(monitor.Interval))
            {
                problems.Add(intervalPath, $"interval {Durations.Format(monitor.Interval)} is not a time grain App Service metrics have.",
                    $"use one of {string.Join(", ", AzureMonitorDefaults.Grains.Select(Durations.Format))}, e.g. interval: 1m.");
            }
            else
            {
                interval = monitor.Interval;
            }
        }

        var windowPath = $"{path}.window";
        if (problems.CheckPositive(windowPath, monitor.Window) && !problems.IsUnreadable(windowPath) && monitor.Window < interval)
        {
            problems.Add(windowPath, $"window {Durations.Format(monitor.Window)} is shorter than interval ({Durations.Format(interval)}), so it holds no whole grain.",
                $"use a window of at least {Durations.Format(interval)}, e.g. window: {Durations.Format(interval * 5)}.");
        }
    }

    public IGateSource? CreateSource(IPlatform platform, TimeProvider time) =>
        platform is AppServicePlatform appService ? new AzureMonitorGateSource(appService, time) : null;
}
