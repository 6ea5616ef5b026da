using System.Globalization;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Platforms.Local.Platform;
using ZdPipelines.Platforms.Local.Samples;

namespace ZdPipelines.Platforms.Local.Demo;

/// <summary>What `zdp demo` runs: which strategy, whether v2 is broken, where the proxy listens.</summary>
public sealed record DemoOptions
{
    /// <summary>blue-green, rolling or canary.</summary>
    public required string Strategy { get; init; }

    /// <summary>v2 answers a share of requests with 500 (<see cref="DemoDefaults.FaultRate"/>).</summary>
    public bool Faulty { get; init; }

    /// <summary>host:port of the proxy; port 0 picks a free one.</summary>
    public string Listen { get; init; } = DemoDefaults.Listen;
}

public static class DemoDefaults
{
    public const string Listen = "127.0.0.1:0";

    /// <summary>Bad enough that every gate sees it within a few seconds of traffic.</summary>
    public const double FaultRate = 0.3;

    public static readonly IReadOnlyList<string> Strategies = ["blue-green", "rolling", "canary"];
}

/// <summary>The end of a demo: the engine's result, what the synthetic clients saw, and where it all ran.</summary>
public sealed record DemoReport(DeploymentResult Result, DeploymentPlan Plan, TrafficReport Traffic, string ProxyAddress, string SpecPath);

/// <summary>
/// Runs a whole deployment on the embedded platform: sample upstreams v1 and v2, the YARP proxy in
/// front of them, synthetic clients, and the engine with gates, from a zdp.yml it writes so the user
/// can read (and reuse) the spec it ran.
/// </summary>
public static class DemoRunner
{
    private const int StableInstances = 3;
    private const int RollingInstances = 4;

    public static async Task<DemoReport> RunAsync(
        DemoOptions options,
        ModuleCatalog modules,
        IHookRunner hooks,
        Action<string> say,
        Action<DeploymentEvent> events,
        CancellationToken cancellationToken)
    {
        if (!DemoDefaults.Strategies.Contains(options.Strategy))
        {
            throw new ArgumentException($"unknown demo strategy '{options.Strategy}'; use one of: {string.Join(", ", DemoDefaults.Strategies)}", nameof(options));
        }

        var time = TimeProvider.System;
        var directory = Path.Combine(Path.GetTempPath(), $"zdp-demo-{Guid.NewGuid():N}"[..18]);
        Directory.CreateDirectory(directory);
        var rolling = options.Strategy == "rolling";
        var v2 = new SampleAppOptions { Version = "v2", FaultRate = options.Faulty ? DemoDefaults.FaultRate : 0 };
        var apps = new List<SampleApp>();
        try
        {
            var stable = await StartAppsAsync(rolling ? RollingInstances : StableInstances, new SampleAppOptions { Version = "v1" }, apps, time, cancellationToken);
            var candidate = rolling ? [] : await StartAppsAsync(StableInstances, v2, apps, time, cancellationToken);
            say($"upstreams: v1 at {string.Join(", ", stable.Select(a => a.Url))}" + (rolling ? " (updated in place to v2)" : $"; v2 at {string.Join(", ", candidate.Select(a => a.Url))}") + (options.Faulty ? $"; v2 fails {DemoDefaults.FaultRate:P0} of requests" : ""));

            var yaml = SpecText(options, stable, candidate, Path.Combine(directory, "state"));
            var specPath = Path.Combine(directory, "zdp.yml");
            await File.WriteAllTextAsync(specPath, yaml, cancellationToken);
            var read = SpecReader.Read(yaml, specPath, modules);
            if (!read.IsValid)
            {
                throw new InvalidOperationException("the demo's own spec is invalid: " + string.Join("; ", read.Errors));
            }

            var spec = read.Spec!;
            LocalTargetUpdater updater = (target, toPrevious, ct) =>
            {
                var app = stable.First(a => a.Url.ToString().TrimEnd('/') == target.Address.ToString().TrimEnd('/'));
                return app.RestartAsync(toPrevious ? app.Options with { Version = "v1", FaultRate = 0 } : v2, ct);
            };
            await using var platform = await LocalPlatform.StartAsync(spec.Platform.OptionsAs<LocalPlatformOptions>(), time, rolling ? updater : null, cancellationToken);
            say($"proxy listening on {platform.Target} (send your own traffic there too); spec: {specPath}");
            await WaitStableHealthyAsync(platform, stable.Count, cancellationToken);

            await using var traffic = new TrafficGenerator(new Uri(platform.Target), new TrafficGeneratorOptions { Concurrency = 4, Delay = TimeSpan.FromMilliseconds(5) }, time);
            traffic.Start();
            // A little v1 traffic first, so the stable side has a baseline before anything changes.
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);

            var planned = DeploymentPlanner.Plan(spec, platform.Capabilities(), await platform.ObserveAsync(cancellationToken));
            if (planned.Plan is not { } plan)
            {
                throw new InvalidOperationException("the demo's plan was refused: " + string.Join("; ", planned.Problems));
            }

            var engine = new DeploymentEngine(
                platform,
                new GateEvaluator(modules.AllGateSources.Select(m => m.CreateSource(platform, time)).OfType<IGateSource>(), time),
                hooks,
                time,
                new EngineOptions { Owner = $"zdp demo/{Environment.ProcessId}", MinPoll = TimeSpan.FromMilliseconds(50), MaxPoll = TimeSpan.FromMilliseconds(500) },
                events);
            var result = await engine.DeployAsync(spec, plan, null, cancellationToken);

            // Keep the clients going a moment after the last change: failures right after a switch count too.
            await Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None);
            var report = await traffic.StopAsync(CancellationToken.None);
            return new DemoReport(result, plan, report, platform.Target, specPath);
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    private static async Task<List<SampleApp>> StartAppsAsync(int count, SampleAppOptions options, List<SampleApp> all, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = new List<SampleApp>();
        for (var i = 0; i < count; i++)
        {
            var app = new SampleApp(options with { Seed = i + 1 }, time);
            all.Add(app);
            await app.StartAsync(cancellationToken);
            started.Add(app);
        }

        return started;
    }

    private static async Task WaitStableHealthyAsync(LocalPlatform platform, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while ((await platform.ObserveAsync(timeout.Token)).HealthyServing(Side.Stable) < count)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    /// <summary>The zdp.yml the demo runs; written out so that what the demo does is what a user would write.</summary>
    internal static string SpecText(DemoOptions options, IReadOnlyList<SampleApp> stable, IReadOnlyList<SampleApp> candidate, string stateDirectory)
    {
        static string List(IEnumerable<SampleApp> apps) => string.Join(", ", apps.Select(a => a.Url.ToString().TrimEnd('/')));
        var candidateLine = candidate.Count > 0 ? $"    candidate: {{ version: v2, targets: [{List(candidate)}] }}\n" : "";
        var strategy = options.Strategy switch
        {
            "blue-green" => """
                strategy:
                  blueGreen:
                    preSwitchGates: [smoke]
                    postSwitchGates: [error-rate]
                    bake: 2s
                    keepPreviousFor: 30m
                """,
            "rolling" => """
                strategy:
                  rolling:
                    batchSize: 1
                    maxUnavailable: 1
                    gates: [error-rate]
                """,
            _ => """
                strategy:
                  canary:
                    steps:
                      - setWeight: 10
                      - pause: 2s
                      - gate: error-rate
                      - setWeight: 50
                      - pause: 2s
                      - gate: error-rate
                """,
        };
        return string.Create(CultureInfo.InvariantCulture, $$"""
            # Written by `zdp demo {{options.Strategy}}{{(options.Faulty ? " --faulty" : "")}}`: the spec the demo deploys with.
            name: demo-shop
            platform:
              type: local
              local:
                listen: {{options.Listen}}
                stable: { version: v1, targets: [{{List(stable)}}] }
            {{candidateLine}}    healthCheck: { path: /healthz, interval: 200ms, timeout: 150ms, healthyThreshold: 2, unhealthyThreshold: 2 }
                drainTimeout: 2s
                stateDirectory: {{stateDirectory}}
            {{strategy}}
            gates:
              - name: error-rate
                metrics: { metric: errorRate, side: candidate, window: 3s }
                condition: "< 0.05"
                interval: 1s
                count: 3
                minSamples: 10
                # A batch that just came back has had little traffic yet: one thin measurement is tolerated.
                inconclusiveLimit: 1
              - name: smoke
                http: { url: "{preview}/", probes: 20, expectStatus: 200, measure: successRate }
                condition: ">= 1"
                interval: 500ms
                count: 2
            timeouts: { healthy: 30s, drain: 30s, total: 5m }

            """);
    }
}
