using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec.Reading;

internal sealed partial class SpecBinder
{
    private const string ConditionFix = "write an operator (<, <=, >, >=, == or !=) and a number, in quotes, e.g. condition: \"< 0.05\".";

    private List<GateSpec> ReadGates(SpecMapping root)
    {
        var gates = new List<GateSpec>();
        var items = root.Mappings("gates", CoreKeys.Gate(modules), "[ { name: error-rate, metrics: { metric: errorRate }, condition: \"< 0.05\" } ]",
            "- { name: error-rate, metrics: { metric: errorRate }, condition: \"< 0.05\" }");
        foreach (var gate in items ?? [])
        {
            gates.Add(gate is null ? Placeholder() : ReadGate(gate));
        }

        return gates;
    }

    /// <summary>A gate whose item is not a mapping (reported): kept so that the indexes of the others stay those of the file.</summary>
    private static GateSpec Placeholder() =>
        new() { Name = "", Source = UnboundGateSource.Instance, Condition = new GateCondition(ComparisonOperator.LessThan, 0) };

    private GateSpec ReadGate(SpecMapping gate)
    {
        var name = gate.Text("name", "give the gate a name, e.g. name: error-rate.", required: true) ?? "";
        var sources = modules.AllGateSources.Where(s => gate.HasKey(s.Key)).ToList();
        if (sources.Count == 0 && !gate.HasUnknownKeys)
        {
            gate.ReportHere($"the gate has no source; it needs exactly one of {SpecValues.OneOf([.. modules.AllGateSources.Select(s => s.Key)])}.",
                "add e.g. metrics: { metric: errorRate }, http: { url: \"{address}/healthz\" } or command: { run: ./check.sh }.");
        }

        foreach (var extra in sources.Skip(1))
        {
            gate.ReportAtKey(extra.Key, $"the gate has both {sources[0].Key} and {extra.Key}; a gate measures one source.",
                $"split it into two gates, or remove {extra.Key}.");
        }

        var defaults = Placeholder();
        return defaults with
        {
            Name = name,
            Source = (sources.Count > 0 ? sources[0].Bind(gate) : null) ?? UnboundGateSource.Instance,
            Condition = ReadCondition(gate) ?? defaults.Condition,
            Interval = gate.Duration("interval") ?? defaults.Interval,
            Count = gate.WholeNumber("count", GateLimits.Count) ?? defaults.Count,
            FailureLimit = gate.WholeNumber("failureLimit", GateLimits.Limit) ?? defaults.FailureLimit,
            InconclusiveLimit = gate.WholeNumber("inconclusiveLimit", GateLimits.Limit) ?? defaults.InconclusiveLimit,
            MinSamples = gate.WholeNumber("minSamples", GateLimits.MinSamples) ?? defaults.MinSamples,
            NoData = gate.Enum("noData", SpecNames.NoDataPolicies) ?? defaults.NoData,
        };
    }

    private GateCondition? ReadCondition(SpecMapping gate)
    {
        var node = gate.Required("condition", "add a condition, e.g. condition: \"< 0.05\".");
        if (node is null)
        {
            return null;
        }

        var path = gate.PathOf("condition");
        if (node is YamlScalarNode { Tag.IsLocal: true } tagged)
        {
            // condition: != 0 unquoted is the YAML tag "!=" on the value 0; the user meant the operator.
            source.Add(node, path, $"'{tagged.Tag.Value} {tagged.Value}' was read as a YAML tag, not a condition.",
                $"quote it: condition: \"{tagged.Tag.Value} {tagged.Value}\".");
            return null;
        }

        var text = SpecValues.Text(source, node, path, ConditionFix);
        if (text is null)
        {
            return null;
        }

        var condition = GateCondition.Parse(text);
        if (condition is null)
        {
            source.Add(node, path, $"'{text}' is not a condition.", ConditionFix);
        }

        return condition;
    }

    /// <summary>The metrics gate source: the platform's own per-version metrics (a core capability, so bound here).</summary>
    internal static MetricsGateOptions? ReadMetricsSource(SpecMapping gate)
    {
        var metrics = gate.RequiredMapping(MetricsGateOptions.Key, CoreKeys.GateMetrics, "metrics: { metric: errorRate, side: candidate, window: 30s }",
            "add metrics: { metric: errorRate }.");
        if (metrics is null)
        {
            return null;
        }

        var metricNode = metrics.Required("metric", $"add metric: with one of {SpecValues.OneOf(SpecNames.Of(SpecNames.Metrics))}.");
        var metric = metricNode is null ? null : SpecValues.Enum(metrics.Source, metricNode, metrics.PathOf("metric"), SpecNames.Metrics);
        var defaults = new MetricsGateOptions { Metric = metric ?? PlatformMetric.ErrorRate };
        return defaults with
        {
            Side = metrics.Enum("side", SpecNames.Sides) ?? defaults.Side,
            Window = metrics.Duration("window") ?? defaults.Window,
        };
    }
}
