using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

/// <summary>Rolling across apps (regions): each app's slot swapped in, healthy and gated before the next, against the emulator.</summary>
public sealed class AppServiceRollingTests
{
    private const string Apps = "apps: [shop-api, rg-neu/shop-neu]";

    private const string Rolling = """
        strategy:
          rolling: { batchSize: 1, maxUnavailable: 1, gates: [errors] }
        gates:
          - { name: errors, azureMonitor: { preset: http5xxRate, side: candidate, window: 1m }, condition: "< 0.05", count: 2, interval: 30s, inconclusiveLimit: 1 }

        """;

    [Fact]
    public async Task Rolling_plans_one_app_at_a_time_in_place_and_predicts_a_swap_and_the_gate_per_app()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        bed.AddApp("shop-neu", "rg-neu");
        var spec = bed.Spec(Rolling, platform: Apps);
        var platform = bed.Platform(spec);

        var plan = await bed.PlanAsync(spec, platform);

        Assert.Equal(
            ["update shop-api", "wait until shop-api healthy", "gate 'errors' on candidate", "update shop-neu", "wait until shop-neu healthy", "gate 'errors' on candidate"],
            plan.Steps.Select(s => s.Describe()));
        Assert.DoesNotContain(plan.Steps.Concat(plan.Rollback), s => s.Needs(spec).HasFlag(PlatformCapabilities.TargetPool));
        // Two swaps of 30 s (the emulator's) and two gates of 2 measurements 30 s apart.
        Assert.Equal(TimeSpan.FromSeconds((2 * 30) + (2 * 30)), plan.PredictedMinimum);
        Assert.DoesNotContain(bed.Emulator.Requests, r => r.Method != "GET" && r.OperationId?.StartsWith("Entra", StringComparison.Ordinal) != true);
    }

    [Fact]
    public async Task Rolling_swaps_each_apps_slot_and_waits_for_it_healthy_and_gated_before_the_next()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var neu = bed.AddApp("shop-neu", "rg-neu");
        var spec = bed.Spec(Rolling, platform: Apps);

        (DeploymentResult Result, List<AppsState> States) run;
        await using (var weu = bed.Traffic(cookies: false))
        await using (var north = bed.Traffic(neu, cookies: false))
        {
            run = await bed.DeployAsync(spec, bed.Platform(spec));
            Assert.Equal((0, 0), (weu.Failed, north.Failed));
            Assert.True(weu.Sent > 0 && north.Sent > 0);
        }

        Assert.Equal(DeploymentOutcome.Promoted, run.Result.Outcome);
        const string Before = "shop-api: prod=v1 slot=v2; shop-neu: prod=v1 slot=v2";
        const string First = "shop-api: prod=v2 slot=v1; shop-neu: prod=v1 slot=v2";
        const string Both = "shop-api: prod=v2 slot=v1; shop-neu: prod=v2 slot=v1";
        Assert.Equal([First, First, First, Both, Both, Both], run.States.Select(s => s.Serving));
        Assert.DoesNotContain(Before, run.States.Select(s => s.Serving));
        // Never more than one app changing at once: the second swap began after the first had ended.
        Assert.True(neu.Swaps.Single().StartedAt >= bed.App.Swaps.Single().CompletedAt);
        Assert.Empty(bed.Emulator.Violations);
    }

    [Fact]
    public async Task Rolling_swaps_the_first_app_back_when_its_gate_fails_and_leaves_the_second_untouched()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var neu = bed.AddApp("shop-neu", "rg-neu");
        var spec = bed.Spec(Rolling, platform: Apps);
        await using var traffic = bed.Traffic(cookies: false);

        var (result, states) = await bed.DeployAsync(spec, bed.Platform(spec), afterStep: (step, rollback) =>
        {
            if (step == "wait until shop-api healthy" && !rollback)
            {
                // Swapped in and healthy, the new version then fails production's clients.
                bed.App.Production.ErrorRate = 1;
            }
        });

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("gate 'errors' failed", result.Reason, StringComparison.Ordinal);
        Assert.Equal(["revert shop-api", "wait until shop-api healthy"], states.Where(s => s.Rollback).Select(s => s.Step));
        Assert.Equal("shop-api: prod=v1 slot=v2; shop-neu: prod=v1 slot=v2", bed.State().Serving);
        Assert.Empty(neu.Swaps);
        Assert.Equal(2, bed.App.Swaps.Count);
    }
}
