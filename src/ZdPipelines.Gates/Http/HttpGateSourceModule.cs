using System.Text.RegularExpressions;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;

namespace ZdPipelines.Gates.Http;

/// <summary>The http gate source: any platform, any reachable URL.</summary>
public sealed partial class HttpGateSourceModule : IGateSourceModule
{
    private const string UrlFix = "write an absolute http(s) URL in quotes; it may start with {address} or {preview}, e.g. url: \"{address}/healthz\".";

    private static readonly IReadOnlyList<string> Keys = ["url", "probes", "expectStatus", "bodyContains", "timeout", "measure"];

    private static readonly IReadOnlyList<(string Name, HttpMeasure Value)> Measures = [("successRate", HttpMeasure.SuccessRate), ("latencyP95Ms", HttpMeasure.LatencyP95Ms)];

    /// <summary>The placeholders the engine fills in a url, with a value that makes the url checkable.</summary>
    private static readonly (string Placeholder, string Sample)[] UrlPlaceholders =
    [
        ("{address}", "http://127.0.0.1:8080"),
        ("{preview}", "http://127.0.0.1:8081"),
        ("{deploymentId}", "d1"),
    ];

    [GeneratedRegex(@"\{[^{}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    public string Key => HttpGateOptions.Key;

    public string Reads => "probes a URL";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(HttpGateSourceModule), "http.schema.json");

    /// <summary>The keys and enumerations of the block, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["gates[].http"] = Keys };

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Enums { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["gates[].http.measure"] = SpecNames.Of(Measures) };

    public GateSourceOptions? Bind(SpecMapping gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var http = gate.RequiredMapping(Key, Keys, "http: { url: \"{address}/healthz\", probes: 5 }", "add http: { url: \"{address}/healthz\" }.");
        if (http is null)
        {
            return null;
        }

        var defaults = new HttpGateOptions { Url = http.Text("url", UrlFix, required: true) ?? "" };
        return defaults with
        {
            Probes = http.WholeNumber("probes", HttpGateLimits.Probes) ?? defaults.Probes,
            ExpectStatus = http.WholeNumber("expectStatus", HttpGateLimits.ExpectStatus) ?? defaults.ExpectStatus,
            BodyContains = http.Text("bodyContains", "write the text the response body must contain, e.g. bodyContains: ok."),
            Timeout = http.Duration("timeout") ?? defaults.Timeout,
            Measure = http.Enum("measure", Measures) ?? defaults.Measure,
        };
    }

    public void Validate(GateSourceOptions options, string path, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var http = (HttpGateOptions)options;
        CheckUrl(http.Url, $"{path}.url", problems);
        problems.CheckRange($"{path}.probes", http.Probes, HttpGateLimits.Probes);
        problems.CheckRange($"{path}.expectStatus", http.ExpectStatus, HttpGateLimits.ExpectStatus);
        problems.CheckPositive($"{path}.timeout", http.Timeout);
    }

    public IGateSource? CreateSource(IPlatform platform, TimeProvider time) => new HttpGateSource(time);

    private static void CheckUrl(string url, string path, SpecProblems problems)
    {
        if (problems.IsUnreadable(path))
        {
            return;
        }

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
            problems.Add(path,
                close is null ? $"unknown placeholder {unknown.Value}." : $"unknown placeholder {unknown.Value}; did you mean {close}?",
                close is null ? $"use {string.Join(", ", known.Take(known.Count - 1))} or {known[^1]}, or remove it." : $"write {close}.");
            return;
        }

        if (!SpecRules.IsHttpUrl(resolved))
        {
            problems.Add(path, $"'{url}' is not an absolute http or https URL.",
                "start it with {address}, {preview} or http(s)://host, e.g. url: \"{address}/healthz\".");
        }
    }
}
