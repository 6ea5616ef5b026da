using System.Globalization;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;
using ZdPipelines.Platforms.Local.Platform;

namespace ZdPipelines.Platforms.Local;

/// <summary>platform.type: local — zdp's own reverse proxy in front of upstream URLs you run.</summary>
public sealed class LocalPlatformModule : IPlatformModule
{
    public const string PlatformType = "local";

    private const string TargetsExample = "[http://127.0.0.1:5001, http://127.0.0.1:5002]";
    private const string Path = "platform.local";

    private static readonly IReadOnlyList<string> Keys = ["listen", "stable", "candidate", "healthCheck", "drainTimeout", "stateDirectory"];
    private static readonly IReadOnlyList<string> GroupKeys = ["version", "targets"];
    private static readonly IReadOnlyList<string> HealthCheckKeys = ["path", "interval", "timeout", "healthyThreshold", "unhealthyThreshold"];

    public string Type => PlatformType;

    public string Description => "the local platform";

    public string Example => "local: { stable: { version: v1, targets: [http://127.0.0.1:5001] } }";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(LocalPlatformModule), "local.schema.json");

    public IReadOnlyList<IGateSourceModule> GateSources => [];

    /// <summary>The keys of each section of the block, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [Path] = Keys,
        [$"{Path}.stable"] = GroupKeys,
        [$"{Path}.candidate"] = GroupKeys,
        [$"{Path}.healthCheck"] = HealthCheckKeys,
    };

    public PlatformOptions? Bind(SpecMapping platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var local = platform.Mapping(Type, Keys, Example);
        if (local is null)
        {
            return null;
        }

        var stable = local.RequiredMapping("stable", GroupKeys, "stable: { version: v1, targets: " + TargetsExample + " }",
            $"add the addresses that serve today, e.g. stable: {{ version: v1, targets: {TargetsExample} }}.");
        var candidate = local.Mapping("candidate", GroupKeys, "candidate: { version: v2, targets: [http://127.0.0.1:5003] }");
        var health = local.Mapping("healthCheck", HealthCheckKeys, "healthCheck: { path: /healthz, interval: 1s }");
        var defaults = new LocalPlatformOptions { Stable = stable is null ? new UpstreamGroupSpec() : ReadGroup(stable) };
        return defaults with
        {
            Listen = local.Text("listen", "write host:port, e.g. listen: 127.0.0.1:8080.") ?? defaults.Listen,
            Candidate = candidate is null ? null : ReadGroup(candidate),
            HealthCheck = health is null ? defaults.HealthCheck : ReadHealthCheck(health),
            DrainTimeout = local.Duration("drainTimeout") ?? defaults.DrainTimeout,
            StateDirectory = local.Text("stateDirectory", "write a directory path, e.g. stateDirectory: .zdp.") ?? defaults.StateDirectory,
        };
    }

    private static UpstreamGroupSpec ReadGroup(SpecMapping group)
    {
        var defaults = new UpstreamGroupSpec();
        var targets = !group.Require("targets", $"add targets: {TargetsExample}.") ? null
            : group.Texts("targets", TargetsExample, "write an absolute URL, e.g. http://127.0.0.1:5001.");
        return defaults with
        {
            Version = group.Text("version", "write a version label, e.g. version: v2.") ?? defaults.Version,
            Targets = [.. (targets ?? []).Select(t => t ?? "")],
        };
    }

    private static HealthCheckSpec ReadHealthCheck(SpecMapping health)
    {
        var defaults = new HealthCheckSpec();
        return defaults with
        {
            Path = health.Text("path", "write an absolute request path, e.g. path: /healthz.") ?? defaults.Path,
            Interval = health.Duration("interval") ?? defaults.Interval,
            Timeout = health.Duration("timeout") ?? defaults.Timeout,
            HealthyThreshold = health.WholeNumber("healthyThreshold", HealthCheckLimits.Threshold) ?? defaults.HealthyThreshold,
            UnhealthyThreshold = health.WholeNumber("unhealthyThreshold", HealthCheckLimits.Threshold) ?? defaults.UnhealthyThreshold,
        };
    }

    public void Validate(PlatformOptions options, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(problems);
        var local = (LocalPlatformOptions)options;
        var listen = $"{Path}.listen";
        if (!problems.IsUnreadable(listen) && !IsHostPort(local.Listen))
        {
            problems.Add(listen, $"'{local.Listen}' is not host:port.",
                local.Listen.Contains("://", StringComparison.Ordinal)
                    ? $"drop the scheme and path: listen: {StripScheme(local.Listen)}."
                    : "write host:port with a port from 0 to 65535, e.g. listen: 127.0.0.1:8080 ([::1]:8080 for IPv6).");
        }

        if (!problems.IsUnreadable($"{Path}.stable"))
        {
            CheckGroup(local.Stable, $"{Path}.stable", problems);
        }

        if (local.Candidate is { } candidate)
        {
            CheckGroup(candidate, $"{Path}.candidate", problems);
        }

        CheckHealthCheck(local.HealthCheck, problems);
        problems.CheckPositive($"{Path}.drainTimeout", local.DrainTimeout);
        var stateDirectory = $"{Path}.stateDirectory";
        if (!problems.IsUnreadable(stateDirectory) && string.IsNullOrWhiteSpace(local.StateDirectory))
        {
            problems.Add(stateDirectory, "stateDirectory is empty.", $"write a directory path, or remove the line to use {LocalPlatformDefaults.StateDirectory}.");
        }

        // Blue-green and canary move traffic to a candidate, so the platform must have one.
        var kind = spec.Strategy.Kind;
        if (kind is StrategyKinds.Canary or StrategyKinds.BlueGreen && local.Candidate is null && !problems.IsUnreadable($"{Path}.candidate"))
        {
            problems.AddAt($"{Path}.candidate", Path, $"the {kind} strategy needs a candidate, but platform.local has none.",
                "add the new version's addresses under platform.local, e.g. candidate: { version: v2, targets: [http://127.0.0.1:5003] }.");
        }
    }

    private static void CheckGroup(UpstreamGroupSpec group, string path, SpecProblems problems)
    {
        var targetsPath = $"{path}.targets";
        if (problems.IsReported(targetsPath))
        {
            return;
        }

        if (group.Targets.Count == 0)
        {
            problems.Add(targetsPath, "targets is empty; at least one address is needed.", $"list the upstream addresses, e.g. targets: {TargetsExample}.");
            return;
        }

        var first = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < group.Targets.Count; i++)
        {
            var target = group.Targets[i];
            var itemPath = SpecPaths.Item(targetsPath, i);
            if (problems.IsUnreadable(itemPath))
            {
                continue;
            }

            if (!SpecRules.IsHttpUrl(target))
            {
                problems.Add(itemPath, $"'{target}' is not an absolute http or https URL.",
                    target.Contains("://", StringComparison.Ordinal)
                        ? "use the http:// or https:// scheme, e.g. http://127.0.0.1:5001."
                        : $"add the scheme: http://{target}.");
                continue;
            }

            if (first.TryGetValue(target.TrimEnd('/'), out var firstPath))
            {
                problems.Add(itemPath, $"'{target}' is listed twice (first {problems.Where(firstPath)}).", "remove the duplicate; each target is one instance.");
                continue;
            }

            first[target.TrimEnd('/')] = itemPath;
        }
    }

    private static void CheckHealthCheck(HealthCheckSpec health, SpecProblems problems)
    {
        var path = $"{Path}.healthCheck";
        var pathPath = $"{path}.path";
        if (!problems.IsUnreadable(pathPath) && !health.Path.StartsWith('/'))
        {
            problems.Add(pathPath, $"'{health.Path}' does not start with '/'.",
                $"write the request path only, starting with '/', e.g. path: /{health.Path.TrimStart('/')}.");
        }

        var intervalOk = problems.CheckPositive($"{path}.interval", health.Interval) && !problems.IsUnreadable($"{path}.interval");
        var timeoutOk = problems.CheckPositive($"{path}.timeout", health.Timeout) && !problems.IsUnreadable($"{path}.timeout");

        // A probe that may outlive the interval would overlap the next one and count one slow
        // instance twice; ALB enforces the same rule.
        if (intervalOk && timeoutOk && health.Timeout >= health.Interval)
        {
            var at = problems.IsWritten($"{path}.timeout") || !problems.IsWritten($"{path}.interval") ? $"{path}.timeout" : $"{path}.interval";
            problems.Add(at,
                $"timeout ({Durations.Format(health.Timeout)}) must be shorter than interval ({Durations.Format(health.Interval)}).",
                "lower timeout or raise interval so that timeout < interval, e.g. interval: 1s, timeout: 800ms.");
        }

        problems.CheckRange($"{path}.healthyThreshold", health.HealthyThreshold, HealthCheckLimits.Threshold);
        problems.CheckRange($"{path}.unhealthyThreshold", health.UnhealthyThreshold, HealthCheckLimits.Threshold);
    }

    /// <summary>
    /// The local proxy lives inside the zdp process that changes traffic. A command that only reads or
    /// signals must not start a second proxy on the same port: it works on the state directory, and
    /// `plan` probes the upstreams through a private proxy on a free port.
    /// </summary>
    public async Task<OpenedPlatform> OpenAsync(PlatformOpening opening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opening);
        var local = opening.Spec.Platform.OptionsAs<LocalPlatformOptions>();
        switch (opening.Use)
        {
            case PlatformUse.Journal:
                return new OpenedPlatform(new LocalJournalView(local, opening.Time));
            case PlatformUse.Inspect:
                var probe = await LocalPlatform.StartAsync(local with { Listen = "127.0.0.1:0" }, opening.Time, null, cancellationToken);
                // StartAsync returns once every upstream has a health verdict, so the plan sees real health.
                probe.ReportedTarget = $"http://{local.Listen}";
                return new OpenedPlatform(probe);
            default:
                return new OpenedPlatform(await LocalPlatform.StartAsync(local, opening.Time, null, cancellationToken));
        }
    }

    private static bool IsHostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65_535)
        {
            return false;
        }

        var host = text[..colon];
        if (host.Contains(':', StringComparison.Ordinal))
        {
            return host.StartsWith('[') && host.EndsWith(']');
        }

        return !host.Any(c => char.IsWhiteSpace(c) || c is '/' or '[' or ']');
    }

    private static string StripScheme(string text)
    {
        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? rest : rest[..slash];
    }
}
