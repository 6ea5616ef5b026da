using ZdPipelines.Core.Engine;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

/// <summary>Canary as ramp-up rules on production, promoted by a swap, end to end against the emulator with the routing checked after every step.</summary>
public sealed class AppServiceCanaryTests
{
    private const string Canary = """
        strategy:
          canary:
            steps: [ { setWeight: 20 }, { gate: slot-errors }, { setWeight: 50 }, { pause: 1m } ]
        gates:
          - { name: slot-errors, azureMonitor: { preset: http5xxRate, side: candidate, window: 1m }, condition: "< 0.05", count: 2, interval: 30s, noData: pass }

        """;

    [Fact]
    public async Task Canary_routes_a_growing_share_of_production_to_the_slot_then_swaps_and_removes_the_rule()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(Canary);

        (DeploymentResult Result, List<AppsState> States) run;
        await using (var traffic = bed.Traffic())
        {
            run = await bed.DeployAsync(spec, bed.Platform(spec));
            Assert.True(traffic.Sent > 0);
            Assert.Equal(0, traffic.Failed);
        }

        Assert.Equal(DeploymentOutcome.Promoted, run.Result.Outcome);
        // wait healthy, 20 %, gate, 50 %, pause, promote (swap, then the rule back to 0)
        Assert.Equal(
            ["prod=v1 slot=v2", "prod=v1 slot=v2 share=20", "prod=v1 slot=v2 share=20", "prod=v1 slot=v2 share=50", "prod=v1 slot=v2 share=50", "prod=v2 slot=v1"],
            run.States.Select(s => s.Serving));
        // Production's traffic reached the new version through the rule (or the cookie it set) before the swap.
        Assert.Contains(bed.Emulator.DataPlaneRequests, r => r.Slot == "staging" && r.Version == "v2" && r.RoutedBy is "rule" or "cookie");
        Assert.Single(bed.App.Swaps);
        Assert.Empty(bed.App.Production.RampUpRules);
        Assert.Empty(bed.Emulator.Violations);
    }

    [Fact]
    public async Task Canary_sends_the_rule_back_to_zero_when_the_slots_own_metrics_fail_the_gate()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(Canary);
        await using var traffic = bed.Traffic(cookies: false);

        var (result, states) = await bed.DeployAsync(spec, bed.Platform(spec), afterStep: (step, rollback) =>
        {
            if (step == "set candidate weight to 20 %" && !rollback)
            {
                bed.Staging.ErrorRate = 1;
            }
        });

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("gate 'slot-errors' failed", result.Reason, StringComparison.Ordinal);
        Assert.Equal(["prod=v1 slot=v2", "prod=v1 slot=v2 share=20"], states.Where(s => !s.Rollback).Select(s => s.Serving));
        Assert.Equal("prod=v1 slot=v2", states[^1].Serving);
        Assert.Empty(bed.App.Production.RampUpRules);
        Assert.Empty(bed.App.Swaps);
    }

    [Fact]
    public async Task A_canary_whose_zdp_died_after_a_weight_step_is_finished_by_a_rerun_of_the_same_spec()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(Canary);
        var killSwitch = new KillSwitch();

        var (crashed, _) = await bed.DeployAsync(spec, bed.Platform(spec, outer: killSwitch), afterStep: (step, _) =>
        {
            if (step == "set candidate weight to 20 %")
            {
                killSwitch.Trip();
            }
        });
        Assert.Equal(DeploymentOutcome.Failed, crashed.Outcome);
        Assert.Equal("prod=v1 slot=v2 share=20", bed.State().Serving);

        // The dead run's lease lapses; the same spec run again (anywhere) resumes it from the journal in the app's tags.
        bed.Bed.Time.Advance(TimeSpan.FromMinutes(3));
        var (rerun, states) = await bed.DeployAsync(spec, bed.Platform(spec));

        Assert.Equal(DeploymentOutcome.Promoted, rerun.Outcome);
        Assert.Equal(crashed.DeploymentId, rerun.DeploymentId);
        Assert.Equal("prod=v1 slot=v2 share=20", states[0].Serving);
        Assert.Equal("prod=v2 slot=v1", bed.State().Serving);
        Assert.Single(bed.App.Swaps);
        Assert.Empty(bed.App.Production.RampUpRules);
    }
}
