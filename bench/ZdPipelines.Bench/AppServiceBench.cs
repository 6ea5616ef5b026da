using System.Diagnostics;
using Azure.Core.Pipeline;
using ZdPipelines.AzureEmulator;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.Cli;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Clients;

namespace ZdPipelines.Bench;

/// <summary>
/// ARM calls an App Service deployment makes against the emulator, beside the least it could make, and its wall time over the
/// floor the emulator imposes: swaps of <see cref="SwapDuration"/> (polled at a <c>Retry-After</c> of one second), pauses, gate
/// spacing. ARM reads are throttled per subscription (12,000 an hour, request-limits-and-throttling.md), so calls are the cost
/// that matters; the lease's settle delay (3 s) is zdp's own and shows in the time over the floor.
/// </summary>
internal static class AppServiceBench
{
    /// <summary>What a swap takes in the emulator (real App Service: a minute and more).</summary>
    private static readonly TimeSpan SwapDuration = TimeSpan.FromSeconds(2);

    private const string Subscription = "4a3e7c1d-0000-4000-8000-0000000000b1";

    private static readonly string[] AppNames = ["shop-api", "shop-neu", "shop-use"];

    public static async Task<IReadOnlyList<AppServiceBenchRow>> RunAsync(CancellationToken cancellationToken) =>
    [
        await RunAsync("blue-green, 1 swap", "app: shop-api", """
            strategy: { blueGreen: { bake: 0s } }

            """, apps: 1, minimum: Swaps(1), cancellationToken),
        await RunAsync("blue-green with preview", "app: shop-api\n    swapWithPreview: true", """
            strategy: { blueGreen: { bake: 0s } }

            """, apps: 1, minimum: Swaps(1) + 1, cancellationToken),
        await RunAsync("canary 10/50 %, 1 gate, promotion", "app: shop-api", """
            strategy: { canary: { steps: [ { setWeight: 10 }, { pause: 1s }, { setWeight: 50 }, { gate: slot-5xx } ] } }
            gates: [ { name: slot-5xx, azureMonitor: { preset: http5xxRate }, condition: "< 0.05", count: 1, noData: pass } ]

            """, apps: 1, minimum: Swaps(1) + 3 + 1, cancellationToken),
        await RunAsync("rolling 3 apps, batches of 1", "apps: [shop-api, shop-neu, shop-use]", """
            strategy: { rolling: { batchSize: 1, maxUnavailable: 1 } }

            """, apps: 3, minimum: Swaps(3), cancellationToken),
    ];

    /// <summary>Per swap: the POST, and the polls its duration needs at one second apart.</summary>
    private static int Swaps(int count) => count * (1 + (int)Math.Ceiling(SwapDuration.TotalSeconds));

    private static async Task<AppServiceBenchRow> RunAsync(string scenario, string platform, string rest, int apps, int minimum, CancellationToken cancellationToken)
    {
        await using var emulator = await ArmEmulator.StartAsync(new ArmEmulatorOptions
        {
            SwapDuration = SwapDuration,
            OperationRetryAfter = TimeSpan.FromSeconds(1),
            HealthPath = "/health",
        }, cancellationToken);
        foreach (var name in AppNames.Take(apps))
        {
            emulator.AddWebApp(Subscription, "rg-shop", name, "v1").AddSlot("staging", "v2");
        }

        var principal = emulator.AddServicePrincipal(EmulatedRole.Contributor, $"/subscriptions/{Subscription}");
        var endpoint = emulator.Endpoint.GetLeftPart(UriPartial.Authority);
        var spec = Spec($"""
            name: bench
            platform:
              type: azureAppService
              azureAppService:
                subscriptionId: {Subscription}
                resourceGroup: rg-shop
                {platform}
                healthPath: /health
                resourceManagerEndpoint: {endpoint}
                authorityHost: {endpoint}

            """ + rest);
        var credential = AzureCredentialSource.Create(new AzureCredentialOptions
        {
            TenantId = emulator.TenantId,
            ClientId = principal.ClientId,
            ClientSecret = principal.Secret,
            AuthorityHost = emulator.Endpoint,
            Transport = new HttpClientTransport(emulator.CreateHttpHandler()),
        });
        var arm = new ArmClients(new ArmClientOptions { ResourceManagerEndpoint = emulator.Endpoint, Transport = new HttpClientTransport(emulator.CreateHttpHandler()) }, credential, TimeProvider.System);
        using var dataPlane = new HttpClient(emulator.CreateHttpHandler(viaProxy: true, useCookies: false));
        using var appService = new AppServicePlatform(spec, arm, dataPlane, TimeProvider.System, new AppServicePlatformOptions { SwapDuration = SwapDuration });

        var plan = DeploymentPlanner.Plan(spec, appService.Capabilities(), await appService.ObserveAsync(cancellationToken)).Plan
            ?? throw new InvalidOperationException($"the bench spec of '{scenario}' does not plan");
        arm.Counter.Reset();
        var engine = new DeploymentEngine(appService, new GateEvaluator(ZdpModules.All.AllGateSources.Select(m => m.CreateSource(appService, TimeProvider.System)).OfType<IGateSource>(), TimeProvider.System),
            new NoOpHooks(), TimeProvider.System, new EngineOptions());
        var clock = Stopwatch.StartNew();
        var result = await engine.DeployAsync(spec, plan, "bench", cancellationToken);
        var wall = clock.Elapsed;

        var calls = arm.Counter.Calls;
        string Group(Func<string, bool> which) => calls.Where(c => which(c.Key)).Sum(c => c.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var breakdown =
            $"changes {Group(id => id is "WebApps_SwapSlotSlot" or "WebApps_UpdateConfiguration" or "WebApps_ApplySlotConfigToProduction" or "WebApps_ResetProductionSlotConfig")}, " +
            $"polls {Group(id => id.EndsWith("(poll)", StringComparison.Ordinal))}, " +
            $"reads {Group(id => id.StartsWith("WebApps_Get", StringComparison.Ordinal))}, " +
            $"lease+journal {Group(id => id.StartsWith("Tags_", StringComparison.Ordinal))}, " +
            $"metrics {Group(id => id == "Metrics_List")}";
        return new AppServiceBenchRow(scenario, result.Outcome.ToString(), arm.Counter.TotalCalls, minimum, breakdown, wall, plan.PredictedMinimum);
    }

    private static DeploymentSpec Spec(string yaml)
    {
        var read = SpecReader.Read(yaml, "bench.yml", ZdpModules.All);
        return read.Spec ?? throw new InvalidOperationException(string.Join(Environment.NewLine, read.Errors));
    }

    private sealed class NoOpHooks : IHookRunner
    {
        public Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken) => Task.FromResult(new HookResult(0, ""));
    }
}

internal sealed record AppServiceBenchRow(string Scenario, string Outcome, int Calls, int Minimum, string Breakdown, TimeSpan Wall, TimeSpan Floor);
