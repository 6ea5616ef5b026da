using System.Text.RegularExpressions;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;
using ZdPipelines.Platforms.Aws.Alb;

namespace ZdPipelines.Platforms.Aws.Gates;

/// <summary>The cloudWatch gate source: GetMetricData on the ALB's own metrics (a preset) or the user's queries.</summary>
public sealed partial class CloudWatchGateSourceModule : IGateSourceModule
{
    private const string QueriesExample = "queries: [ { id: errors, metric: { namespace: AWS/ApplicationELB, name: HTTPCode_Target_5XX_Count, stat: Sum, dimensions: { TargetGroup: \"{targetGroup}\" } } } ]";

    private static readonly IReadOnlyList<string> Keys = ["preset", "side", "queries", "period", "window"];
    private static readonly IReadOnlyList<string> QueryKeys = ["id", "metric", "expression", "returnData"];
    private static readonly IReadOnlyList<string> MetricKeys = ["namespace", "name", "stat", "dimensions"];

    private static readonly IReadOnlyList<(string Name, AlbMetricPreset Value)> Presets =
        [("targetGroup5xxRate", AlbMetricPreset.TargetGroup5xxRate), ("targetResponseTimeP99", AlbMetricPreset.TargetResponseTimeP99), ("requestCount", AlbMetricPreset.RequestCount)];

    /// <summary>The placeholders a dimension value may use; the gate source fills them from the ARNs.</summary>
    internal static readonly IReadOnlyList<string> DimensionPlaceholders = ["{loadBalancer}", "{targetGroup}", "{stableTargetGroup}", "{candidateTargetGroup}"];

    // GetMetricData: "The first character must be a lowercase letter" (MetricDataQuery.Id).
    [GeneratedRegex(@"^[a-z][a-zA-Z0-9_]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex QueryId();

    [GeneratedRegex(@"\{[^{}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    public string Key => CloudWatchGateOptions.Key;

    public string Reads => "reads CloudWatch";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(CloudWatchGateSourceModule), "cloudWatch.schema.json");

    /// <summary>The keys and enumerations of the block, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["gates[].cloudWatch"] = Keys,
        ["gates[].cloudWatch.queries[]"] = QueryKeys,
        ["gates[].cloudWatch.queries[].metric"] = MetricKeys,
    };

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Enums { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["gates[].cloudWatch.preset"] = SpecNames.Of(Presets),
        ["gates[].cloudWatch.side"] = SpecNames.Of(SpecNames.Sides),
    };

    public GateSourceOptions? Bind(SpecMapping gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var cw = gate.RequiredMapping(Key, Keys, "cloudWatch: { preset: targetGroup5xxRate, side: candidate }",
            "add cloudWatch: { preset: targetGroup5xxRate } or cloudWatch: { " + QueriesExample + " }.");
        if (cw is null)
        {
            return null;
        }

        var defaults = new CloudWatchGateOptions();
        if (cw.HasKey("queries"))
        {
            cw.Require("queries", $"add {QueriesExample}.");
        }

        return defaults with
        {
            Preset = cw.Enum("preset", Presets),
            Side = cw.Enum("side", SpecNames.Sides) ?? defaults.Side,
            Queries = [.. (cw.Mappings("queries", QueryKeys, "[ { id: rate, expression: \"errors / requests\" } ]",
                "{ id: errors, metric: { namespace: AWS/ApplicationELB, name: RequestCount, stat: Sum } }") ?? []).Select(ReadQuery)],
            Period = cw.Duration("period") ?? defaults.Period,
            Window = cw.Duration("window") ?? defaults.Window,
        };
    }

    private static CloudWatchQuerySpec ReadQuery(SpecMapping? query)
    {
        if (query is null)
        {
            return new CloudWatchQuerySpec { Id = "" };
        }

        return new CloudWatchQuerySpec
        {
            Id = query.Text("id", "give the query an id, e.g. id: errors (a lowercase letter, then letters, digits and _).", required: true) ?? "",
            Metric = query.HasKey("metric") ? ReadMetric(query) : null,
            Expression = query.HasKey("expression") ? query.Text("expression", "write a metric-math expression in quotes, e.g. expression: \"errors / requests\".", required: true) : null,
            ReturnData = query.Flag("returnData") ?? true,
        };
    }

    private static CloudWatchMetricSpec? ReadMetric(SpecMapping query)
    {
        var metric = query.RequiredMapping("metric", MetricKeys, "metric: { namespace: AWS/ApplicationELB, name: RequestCount, stat: Sum }",
            "add metric: { namespace: AWS/ApplicationELB, name: RequestCount, stat: Sum }.");
        if (metric is null)
        {
            return null;
        }

        return new CloudWatchMetricSpec
        {
            Namespace = metric.Text("namespace", "add the metric's namespace, e.g. namespace: AWS/ApplicationELB.", required: true) ?? "",
            Name = metric.Text("name", "add the metric's name, e.g. name: HTTPCode_Target_5XX_Count.", required: true) ?? "",
            Stat = metric.Text("stat", "add a statistic: Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99.", required: true) ?? "",
            Dimensions = metric.TextMap("dimensions", "write e.g. dimensions: { LoadBalancer: \"{loadBalancer}\", TargetGroup: \"{targetGroup}\" }.",
                "write the dimension's value, e.g. \"{targetGroup}\".") ?? new Dictionary<string, string>(),
        };
    }

    public void Validate(GateSourceOptions options, string path, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var cw = (CloudWatchGateOptions)options;
        var hasPreset = cw.Preset is not null || problems.IsUnreadable($"{path}.preset");
        var hasQueries = cw.Queries.Count > 0 || problems.IsWritten($"{path}.queries");
        if (hasPreset == hasQueries && !problems.HasUnknownKeys(path))
        {
            if (hasPreset)
            {
                problems.AddAt(path, $"{path}.queries", "cloudWatch has both preset and queries; it measures one of them.",
                    "keep preset for a ready-made ALB metric, or queries for your own.", atKey: true);
            }
            else
            {
                problems.Add(path, "cloudWatch needs a preset or queries.", $"add preset: targetGroup5xxRate (or targetResponseTimeP99, requestCount), or {QueriesExample}.");
            }
        }

        if (!hasPreset && problems.IsWritten($"{path}.side"))
        {
            problems.AddAtKey($"{path}.side", "side chooses the target group of a preset, but this gate has no preset.",
                "remove side, and write the target group into the dimensions with {targetGroup}, {stableTargetGroup} or {candidateTargetGroup}.");
        }

        var period = CloudWatchDefaults.Period;
        var periodPath = $"{path}.period";
        if (problems.CheckPositive(periodPath, cw.Period) && !problems.IsUnreadable(periodPath))
        {
            if (cw.Period.TotalSeconds % 60 != 0)
            {
                problems.Add(periodPath, $"period {Durations.Format(cw.Period)} is not a multiple of 60s.",
                    $"use 1m, 5m, …: ALB publishes its metrics once a minute, e.g. period: {Durations.Format(TimeSpan.FromMinutes(Math.Max(1, Math.Round(cw.Period.TotalMinutes))))}.");
            }
            else
            {
                period = cw.Period;
            }
        }

        var windowPath = $"{path}.window";
        if (problems.CheckPositive(windowPath, cw.Window) && !problems.IsUnreadable(windowPath) && cw.Window < period)
        {
            problems.Add(windowPath, $"window {Durations.Format(cw.Window)} is shorter than period ({Durations.Format(period)}), so it holds no data point.",
                $"use a window of at least {Durations.Format(period)}, e.g. window: {Durations.Format(period * 5)}.");
        }

        if (hasQueries)
        {
            CheckQueries(cw.Queries, $"{path}.queries", problems);
        }
    }

    private static void CheckQueries(IReadOnlyList<CloudWatchQuerySpec> queries, string path, SpecProblems problems)
    {
        if (problems.IsReported(path))
        {
            return;
        }

        if (queries.Count == 0)
        {
            problems.Add(path, "queries is empty.", $"list at least one query, e.g. {QueriesExample}.");
            return;
        }

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var allRead = true;
        for (var i = 0; i < queries.Count; i++)
        {
            var query = queries[i];
            var queryPath = SpecPaths.Item(path, i);
            if (problems.IsReported(queryPath))
            {
                allRead = false;
                continue;
            }

            var idPath = $"{queryPath}.id";
            if (!problems.IsUnreadable(idPath) && !QueryId().IsMatch(query.Id))
            {
                problems.Add(idPath, $"'{query.Id}' is not a valid query id.",
                    "start with a lowercase letter and use only letters, digits and _, as CloudWatch requires, e.g. id: errors5xx.");
            }
            else if (!problems.IsUnreadable(idPath) && ids.TryGetValue(query.Id, out var first))
            {
                problems.Add(idPath, $"query id '{query.Id}' is already used {problems.Where(first)}.", "give each query an id of its own.");
            }
            else if (!problems.IsUnreadable(idPath))
            {
                ids[query.Id] = idPath;
            }

            var hasMetric = query.Metric is not null || problems.IsWritten($"{queryPath}.metric");
            var hasExpression = query.Expression is not null || problems.IsWritten($"{queryPath}.expression");
            if (hasMetric == hasExpression && !problems.HasUnknownKeys(queryPath))
            {
                if (hasMetric)
                {
                    problems.AddAt(queryPath, $"{queryPath}.expression", "the query has both metric and expression.",
                        "split it into two queries: one with the metric, one with the expression that uses its id.", atKey: true);
                }
                else
                {
                    problems.Add(queryPath, "the query needs a metric or an expression.", "add metric: { namespace, name, stat } or expression: \"100 * errors / requests\".");
                }
            }

            foreach (var (name, value) in query.Metric?.Dimensions ?? new Dictionary<string, string>())
            {
                CheckDimension(value, $"{queryPath}.metric.dimensions.{name}", problems);
            }
        }

        var returning = queries.Count(q => q.ReturnData);
        if (allRead && returning != 1)
        {
            problems.Add(path, $"{returning} queries return data; the gate's value comes from exactly one.",
                returning == 0 ? "remove returnData: false from the query whose value the condition judges." : "set returnData: false on every query but the one whose value the condition judges.");
        }
    }

    private static void CheckDimension(string value, string path, SpecProblems problems)
    {
        foreach (Match placeholder in Placeholder().Matches(value))
        {
            if (DimensionPlaceholders.Contains(placeholder.Value, StringComparer.Ordinal))
            {
                continue;
            }

            var close = DidYouMean.Closest(placeholder.Value, DimensionPlaceholders);
            problems.Add(path,
                close is null ? $"unknown placeholder {placeholder.Value}." : $"unknown placeholder {placeholder.Value}; did you mean {close}?",
                close is null ? $"use {string.Join(", ", DimensionPlaceholders.Take(DimensionPlaceholders.Count - 1))} or {DimensionPlaceholders[^1]}, or write the value itself." : $"write {close}.");
            return;
        }
    }

    public IGateSource? CreateSource(IPlatform platform, TimeProvider time) =>
        platform is AlbPlatform { CloudWatch: { } cloudWatch } alb ? new CloudWatchGateSource(cloudWatch, alb, time) : null;
}
