using System.Globalization;

namespace ZdPipelines.Core.Spec;

internal sealed partial class SpecBinder
{
    private const string LocalExample = "local: { stable: { version: v1, targets: [http://127.0.0.1:5001] } }";
    private const string TargetsExample = "[http://127.0.0.1:5001, http://127.0.0.1:5002]";

    // The platform blocks as read, for the strategy checks that run once the strategy is known.
    private SpecMapping? _local;
    private SpecMapping? _simulated;

    private PlatformSpec? ReadPlatform(SpecMapping root)
    {
        var platform = root.RequiredMapping("platform", SpecKeys.Platform, "platform: { type: local, " + LocalExample + " }",
            "add platform: with type: local and a local: block, type: awsAlb and an awsAlb: block, or type: simulated (see docs/spec.md).");
        if (platform is null)
        {
            return null;
        }

        var typeNode = platform.Required("type", $"add type: with one of {SpecValues.OneOf(PlatformTypes.All)}.");
        var type = typeNode is null ? null : SpecValues.Keyword(errors, typeNode, platform.PathOf("type"), PlatformTypes.All);

        var localMapping = platform.Mapping("local", SpecKeys.Local, LocalExample);
        var simulatedMapping = platform.Mapping("simulated", SpecKeys.Simulated, "simulated: { stableTargets: 3, candidateTargets: 3 }");
        _local = localMapping;
        _simulated = simulatedMapping;
        var local = localMapping is null ? null : ReadLocal(localMapping);
        var simulated = simulatedMapping is null ? null : ReadSimulated(simulatedMapping);
        var awsAlbMapping = platform.Mapping("awsAlb", SpecKeys.AwsAlb, AwsAlbExample);
        _awsAlb = awsAlbMapping;
        var awsAlb = awsAlbMapping is null ? null : ReadAwsAlb(awsAlbMapping);

        if (type is not null)
        {
            foreach (var block in PlatformTypes.All)
            {
                var keyNode = platform.KeyNode(block);
                if (block == type && !platform.Has(block))
                {
                    platform.ReportMissing(block, block switch
                    {
                        PlatformTypes.Local => $"add a local block under platform, e.g. {LocalExample}.",
                        PlatformTypes.AwsAlb => $"add an awsAlb block under platform, e.g. {AwsAlbExample}.",
                        _ => "add a simulated block under platform, e.g. simulated: { stableTargets: 3, candidateTargets: 3 }.",
                    });
                }
                else if (block != type && keyNode is not null)
                {
                    errors.Add(keyNode, platform.PathOf(block), $"platform.type is {type}, so the {block} block does not apply.",
                        $"remove the {block} block, or set type: {block} and remove the {type} block.");
                }
            }
        }

        return new PlatformSpec { Type = type ?? "", Local = local, Simulated = simulated, AwsAlb = awsAlb };
    }

    private LocalPlatformSpec ReadLocal(SpecMapping local)
    {
        var listen = local.Text("listen", "write host:port, e.g. listen: 127.0.0.1:8080.");
        if (listen is not null && !IsHostPort(listen))
        {
            errors.Add(local.Get("listen")!, local.PathOf("listen"), $"'{listen}' is not host:port.",
                listen.Contains("://", StringComparison.Ordinal)
                    ? $"drop the scheme and path: listen: {StripScheme(listen)}."
                    : "write host:port with a port from 0 to 65535, e.g. listen: 127.0.0.1:8080 ([::1]:8080 for IPv6).");
        }

        var stableMapping = local.RequiredMapping("stable", SpecKeys.LocalStable, "stable: { version: v1, targets: " + TargetsExample + " }",
            $"add the addresses that serve today, e.g. stable: {{ version: v1, targets: {TargetsExample} }}.");
        var candidateMapping = local.Mapping("candidate", SpecKeys.LocalCandidate, "candidate: { version: v2, targets: [http://127.0.0.1:5003] }");
        var stable = stableMapping is null ? new UpstreamGroupSpec() : ReadUpstreamGroup(stableMapping);
        var candidate = candidateMapping is null ? null : ReadUpstreamGroup(candidateMapping);

        var healthMapping = local.Mapping("healthCheck", SpecKeys.HealthCheck, "healthCheck: { path: /healthz, interval: 1s }");
        var defaults = new LocalPlatformSpec { Stable = stable };
        var stateDirectory = local.Text("stateDirectory", "write a directory path, e.g. stateDirectory: .zdp.");
        if (stateDirectory is not null && string.IsNullOrWhiteSpace(stateDirectory))
        {
            errors.Add(local.Get("stateDirectory")!, local.PathOf("stateDirectory"), "stateDirectory is empty.",
                $"write a directory path, or remove the line to use {LocalPlatformDefaults.StateDirectory}.");
        }

        return defaults with
        {
            Listen = listen ?? defaults.Listen,
            Candidate = candidate,
            HealthCheck = healthMapping is null ? defaults.HealthCheck : ReadHealthCheck(healthMapping),
            DrainTimeout = local.Duration("drainTimeout") ?? defaults.DrainTimeout,
            StateDirectory = stateDirectory ?? defaults.StateDirectory,
        };
    }

    private UpstreamGroupSpec ReadUpstreamGroup(SpecMapping group)
    {
        var defaults = new UpstreamGroupSpec();
        var version = group.Text("version", "write a version label, e.g. version: v2.");
        var targets = new List<string>();
        var list = group.RequiredList("targets", TargetsExample, $"add targets: {TargetsExample}.");
        if (list is not null && list.Children.Count == 0)
        {
            errors.Add(list, group.PathOf("targets"), "targets is empty; at least one address is needed.", $"list the upstream addresses, e.g. targets: {TargetsExample}.");
        }

        var firstLine = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; list is not null && i < list.Children.Count; i++)
        {
            var node = list.Children[i];
            var path = $"{group.PathOf("targets")}[{i}]";
            var target = SpecValues.Text(errors, node, path, "write an absolute URL, e.g. http://127.0.0.1:5001.");
            if (target is null)
            {
                continue;
            }

            if (!IsHttpUrl(target))
            {
                errors.Add(node, path, $"'{target}' is not an absolute http or https URL.",
                    target.Contains("://", StringComparison.Ordinal)
                        ? "use the http:// or https:// scheme, e.g. http://127.0.0.1:5001."
                        : $"add the scheme: http://{target}.");
                continue;
            }

            if (firstLine.TryGetValue(target.TrimEnd('/'), out var line))
            {
                errors.Add(node, path, $"'{target}' is listed twice (first on line {line}).", "remove the duplicate; each target is one instance.");
                continue;
            }

            firstLine[target.TrimEnd('/')] = node.Start.Line;
            targets.Add(target);
        }

        return defaults with { Version = version ?? defaults.Version, Targets = targets };
    }

    private HealthCheckSpec ReadHealthCheck(SpecMapping health)
    {
        var defaults = new HealthCheckSpec();
        var path = health.Text("path", "write an absolute request path, e.g. path: /healthz.");
        if (path is not null && !path.StartsWith('/'))
        {
            errors.Add(health.Get("path")!, health.PathOf("path"), $"'{path}' does not start with '/'.",
                $"write the request path only, starting with '/', e.g. path: /{path.TrimStart('/')}.");
        }

        var interval = health.Duration("interval");
        var timeout = health.Duration("timeout");
        var effectiveInterval = interval ?? defaults.Interval;
        var effectiveTimeout = timeout ?? defaults.Timeout;

        // A probe that may outlive the interval would overlap the next one and count one slow
        // instance twice; ALB enforces the same rule.
        if ((interval is not null || timeout is not null) && effectiveTimeout >= effectiveInterval)
        {
            var at = health.Get("timeout") ?? health.Get("interval")!;
            var atPath = health.PathOf(health.Has("timeout") ? "timeout" : "interval");
            errors.Add(at, atPath,
                $"timeout ({Plans.Durations.Format(effectiveTimeout)}) must be shorter than interval ({Plans.Durations.Format(effectiveInterval)}).",
                "lower timeout or raise interval so that timeout < interval, e.g. interval: 1s, timeout: 800ms.");
        }

        return defaults with
        {
            Path = path ?? defaults.Path,
            Interval = effectiveInterval,
            Timeout = effectiveTimeout,
            HealthyThreshold = health.Int("healthyThreshold", 1, 10) ?? defaults.HealthyThreshold,
            UnhealthyThreshold = health.Int("unhealthyThreshold", 1, 10) ?? defaults.UnhealthyThreshold,
        };
    }

    private static SimulatedPlatformSpec ReadSimulated(SpecMapping simulated)
    {
        var defaults = new SimulatedPlatformSpec();
        return defaults with
        {
            StableTargets = simulated.Int("stableTargets", 1, 10_000) ?? defaults.StableTargets,
            CandidateTargets = simulated.Int("candidateTargets", 0, 10_000) ?? defaults.CandidateTargets,
            HealthCheckInterval = simulated.Duration("healthCheckInterval") ?? defaults.HealthCheckInterval,
            HealthyThreshold = simulated.Int("healthyThreshold", 1, 10) ?? defaults.HealthyThreshold,
            DeregistrationDelay = simulated.Duration("deregistrationDelay", allowZero: true) ?? defaults.DeregistrationDelay,
            CandidateErrorRate = simulated.Number("candidateErrorRate", 0, 1) ?? defaults.CandidateErrorRate,
        };
    }

    /// <summary>Blue-green and canary move traffic to a candidate, so the platform must have one.</summary>
    private void CheckPlatformServesStrategy(PlatformSpec platform, StrategySpec strategy)
    {
        CheckAwsAlbServesStrategy(platform, strategy);
        if (strategy.Rolling is not null)
        {
            return;
        }

        var kind = strategy.Kind;
        if (platform.Type == PlatformTypes.Local && platform.Local is { Candidate: null } && _local is not null)
        {
            errors.Add(_local.Node, _local.PathOf("candidate"), $"the {kind} strategy needs a candidate, but platform.local has none.",
                "add the new version's addresses under platform.local, e.g. candidate: { version: v2, targets: [http://127.0.0.1:5003] }.");
        }

        if (platform.Type == PlatformTypes.Simulated && platform.Simulated is { CandidateTargets: 0 }
            && _simulated?.Get("candidateTargets") is { } count)
        {
            errors.Add(count, _simulated.PathOf("candidateTargets"), $"the {kind} strategy needs candidate targets, but candidateTargets is 0.",
                "set candidateTargets to 1 or more, or use the rolling strategy, which updates stable targets in place.");
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

    internal static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;
}
