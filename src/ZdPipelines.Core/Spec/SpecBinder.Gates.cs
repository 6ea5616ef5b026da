using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec;

internal sealed partial class SpecBinder
{
    private const string ConditionFix = "write an operator (<, <=, >, >=, == or !=) and a number, in quotes, e.g. condition: \"< 0.05\".";

    private static readonly string[] GateSources = ["metrics", "http", "command", "cloudWatch", "alarm"];

    /// <summary>The placeholders the engine fills in an http gate's url, with a value that makes the url checkable.</summary>
    private static readonly (string Placeholder, string Sample)[] UrlPlaceholders =
    [
        ("{address}", "http://127.0.0.1:8080"),
        ("{preview}", "http://127.0.0.1:8081"),
        ("{deploymentId}", "d1"),
    ];

    private static readonly (string Symbol, ComparisonOperator Operator)[] Operators =
    [
        // Two-character operators first, so "<=" is not read as "<" followed by "=0.5".
        ("<=", ComparisonOperator.LessThanOrEqual),
        (">=", ComparisonOperator.GreaterThanOrEqual),
        ("==", ComparisonOperator.Equal),
        ("!=", ComparisonOperator.NotEqual),
        ("<", ComparisonOperator.LessThan),
        (">", ComparisonOperator.GreaterThan),
    ];

    [GeneratedRegex(@"\{[^{}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private List<GateSpec> ReadGates(SpecMapping root)
    {
        var gates = new List<GateSpec>();
        var list = root.List("gates", "[ { name: error-rate, metrics: { metric: errorRate }, condition: \"< 0.05\" } ]");
        for (var i = 0; list is not null && i < list.Children.Count; i++)
        {
            var path = $"gates[{i}]";
            var gate = SpecMapping.AsMapping(list.Children[i], path, SpecKeys.Gate, errors,
                "- { name: error-rate, metrics: { metric: errorRate }, condition: \"< 0.05\" }");
            if (gate is not null)
            {
                gates.Add(ReadGate(gate));
            }
        }

        return gates;
    }

    private GateSpec ReadGate(SpecMapping gate)
    {
        var name = ReadItemName(gate, "gate", "error-rate");
        if (name is not null)
        {
            if (_gates.TryGetValue(name, out var first))
            {
                errors.Add(gate.Get("name")!, gate.PathOf("name"), $"gate name '{name}' is already used on line {first.Start.Line}.",
                    "give each gate a name of its own.");
            }
            else
            {
                _gates[name] = gate.Get("name")!;
            }
        }

        var sources = GateSources.Where(s => gate.KeyNode(s) is not null).ToList();
        if (sources.Count == 0 && !gate.HasUnknownKeys)
        {
            errors.Add(gate.Node, gate.Path, "the gate has no source; it needs exactly one of metrics, http, command, cloudWatch or alarm.",
                "add e.g. metrics: { metric: errorRate }, http: { url: \"{address}/healthz\" } or command: { run: ./check.sh }.");
        }

        foreach (var extra in sources.Skip(1))
        {
            errors.Add(gate.KeyNode(extra)!, gate.PathOf(extra), $"the gate has both {sources[0]} and {extra}; a gate measures one source.",
                $"split it into two gates, or remove {extra}.");
        }

        var metrics = sources.Contains("metrics") ? ReadMetricsSource(gate) : null;
        var http = sources.Contains("http") ? ReadHttpSource(gate) : null;
        var command = sources.Contains("command") ? ReadCommandSource(gate) : null;
        var cloudWatch = sources.Contains("cloudWatch") ? ReadCloudWatchSource(gate) : null;
        var alarm = sources.Contains("alarm") ? ReadAlarmSource(gate) : null;
        if ((cloudWatch is not null || alarm is not null) && name is not null)
        {
            _awsGates.Add((name, gate.KeyNode(cloudWatch is not null ? "cloudWatch" : "alarm")!, gate.PathOf(cloudWatch is not null ? "cloudWatch" : "alarm")));
        }

        var condition = ReadCondition(gate, metrics, http, cloudWatch);

        var defaults = new GateSpec { Name = name ?? "", Condition = condition ?? new GateCondition(ComparisonOperator.LessThan, 0) };
        var count = gate.Int("count", 1);
        var spec = defaults with
        {
            Metrics = metrics,
            Http = http,
            Command = command,
            CloudWatch = cloudWatch,
            Alarm = alarm,
            Interval = gate.Duration("interval") ?? defaults.Interval,
            Count = count ?? defaults.Count,
            MinSamples = gate.Int("minSamples", 0) ?? defaults.MinSamples,
            NoData = gate.Enum("noData", SpecKeys.NoDataPolicies) ?? defaults.NoData,
        };

        if (gate.Has("count") && count is null)
        {
            // Without a valid count the limits cannot be judged; their own type errors still show.
            _ = gate.Int("failureLimit", 0);
            _ = gate.Int("inconclusiveLimit", 0);
            return spec;
        }

        var failureLimit = gate.Int("failureLimit", 0);
        if (failureLimit >= spec.Count)
        {
            errors.Add(gate.Get("failureLimit")!, gate.PathOf("failureLimit"),
                $"failureLimit {failureLimit} is not less than count ({spec.Count}), so the gate could never fail.",
                $"use a failureLimit from 0 to {spec.Count - 1}, or raise count above {failureLimit}.");
        }

        var inconclusiveLimit = gate.Int("inconclusiveLimit", 0);
        if (inconclusiveLimit > spec.Count)
        {
            errors.Add(gate.Get("inconclusiveLimit")!, gate.PathOf("inconclusiveLimit"),
                $"inconclusiveLimit {inconclusiveLimit} is more than count ({spec.Count}) measurements.",
                $"use an inconclusiveLimit from 0 to {spec.Count}.");
        }

        return spec with
        {
            FailureLimit = failureLimit ?? spec.FailureLimit,
            InconclusiveLimit = inconclusiveLimit ?? spec.InconclusiveLimit,
        };
    }

    private MetricsGateSource? ReadMetricsSource(SpecMapping gate)
    {
        var metrics = gate.RequiredMapping("metrics", SpecKeys.GateMetrics, "metrics: { metric: errorRate, side: candidate, window: 30s }",
            "add metrics: { metric: errorRate }.");
        if (metrics is null)
        {
            return null;
        }

        var metricNode = metrics.Required("metric", $"add metric: with one of {SpecValues.OneOf([.. SpecKeys.Metrics.Select(m => m.Name)])}.");
        var metric = metricNode is null ? null : SpecValues.Enum(errors, metricNode, metrics.PathOf("metric"), SpecKeys.Metrics);
        var defaults = new MetricsGateSource { Metric = metric ?? PlatformMetric.ErrorRate };
        return defaults with
        {
            Side = metrics.Enum("side", SpecKeys.Sides) ?? defaults.Side,
            Window = metrics.Duration("window") ?? defaults.Window,
        };
    }

    private HttpGateSource? ReadHttpSource(SpecMapping gate)
    {
        var http = gate.RequiredMapping("http", SpecKeys.GateHttp, "http: { url: \"{address}/healthz\", probes: 5 }",
            "add http: { url: \"{address}/healthz\" }.");
        if (http is null)
        {
            return null;
        }

        const string UrlFix = "write an absolute http(s) URL in quotes; it may start with {address} or {preview}, e.g. url: \"{address}/healthz\".";
        var url = http.Text("url", UrlFix, required: true);
        if (url is not null)
        {
            CheckGateUrl(http.Get("url")!, http.PathOf("url"), url);
        }

        var defaults = new HttpGateSource { Url = url ?? "" };
        return defaults with
        {
            Probes = http.Int("probes", 1, 1000) ?? defaults.Probes,
            ExpectStatus = http.Int("expectStatus", 100, 599) ?? defaults.ExpectStatus,
            BodyContains = http.Text("bodyContains", "write the text the response body must contain, e.g. bodyContains: ok."),
            Timeout = http.Duration("timeout") ?? defaults.Timeout,
            Measure = http.Enum("measure", SpecKeys.HttpMeasures) ?? defaults.Measure,
        };
    }

    private void CheckGateUrl(YamlNode node, string path, string url)
    {
        var resolved = url;
        foreach (var (placeholder, sample) in UrlPlaceholders)
        {
            resolved = resolved.Replace(placeholder, sample, StringComparison.Ordinal);
        }

        var unknown = Placeholder().Match(resolved);
        if (unknown.Success)
        {
            var known = UrlPlaceholders.Select(p => p.Placeholder).ToList();
            var close = DidYouMean.Closest(unknown.Value, known);
            errors.Add(node, path,
                close is null ? $"unknown placeholder {unknown.Value}." : $"unknown placeholder {unknown.Value}; did you mean {close}?",
                close is null ? $"use {SpecValues.OneOf(known)}, or remove it." : $"write {close}.");
            return;
        }

        if (!IsHttpUrl(resolved))
        {
            errors.Add(node, path, $"'{url}' is not an absolute http or https URL.",
                "start it with {address}, {preview} or http(s)://host, e.g. url: \"{address}/healthz\".");
        }
    }

    private CommandGateSource? ReadCommandSource(SpecMapping gate)
    {
        var command = gate.RequiredMapping("command", SpecKeys.GateCommand, "command: { run: ./check.sh, timeout: 1m }",
            "add command: { run: ./check.sh }.");
        if (command is null)
        {
            return null;
        }

        var run = ReadCommandLine(command, "add run: with the command line to execute, e.g. run: ./check.sh.");
        var defaults = new CommandGateSource { Run = run ?? "" };
        return defaults with
        {
            Timeout = command.Duration("timeout") ?? defaults.Timeout,
            Measure = command.Enum("measure", SpecKeys.CommandMeasures) ?? defaults.Measure,
        };
    }

    private GateCondition? ReadCondition(SpecMapping gate, MetricsGateSource? metrics, HttpGateSource? http, CloudWatchGateSource? cloudWatch)
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
            errors.Add(node, path, $"'{tagged.Tag.Value} {tagged.Value}' was read as a YAML tag, not a condition.",
                $"quote it: condition: \"{tagged.Tag.Value} {tagged.Value}\".");
            return null;
        }

        var text = SpecValues.Text(errors, node, path, ConditionFix);
        if (text is null)
        {
            return null;
        }

        var condition = ParseCondition(text);
        if (condition is null)
        {
            errors.Add(node, path, $"'{text}' is not a condition.", ConditionFix);
            return null;
        }

        // Ratios are 0..1; "< 5" meaning 5 % would always pass, the kind of gate that protects nothing.
        var ratio = metrics?.Metric == PlatformMetric.ErrorRate ? "errorRate"
            : http is { Measure: HttpMeasure.SuccessRate } ? "successRate"
            : cloudWatch is { Preset: AlbMetricPreset.TargetGroup5xxRate } ? "targetGroup5xxRate"
            : null;
        if (ratio is not null && condition.Threshold > 1)
        {
            var share = (condition.Threshold / 100).ToString(CultureInfo.InvariantCulture);
            errors.Add(node, path, $"{ratio} is a ratio from 0 to 1, but the threshold is {condition.Threshold.ToString(CultureInfo.InvariantCulture)}.",
                $"write the threshold as a ratio, e.g. condition: \"{GateCondition.Symbol(condition.Operator)} {share}\" for {condition.Threshold.ToString(CultureInfo.InvariantCulture)}%.");
            return null;
        }

        return condition;
    }

    internal static GateCondition? ParseCondition(string text)
    {
        var trimmed = text.Trim();
        foreach (var (symbol, op) in Operators)
        {
            if (!trimmed.StartsWith(symbol, StringComparison.Ordinal))
            {
                continue;
            }

            var number = trimmed[symbol.Length..].Trim();
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) && double.IsFinite(threshold)
                ? new GateCondition(op, threshold)
                : null;
        }

        return null;
    }
}
