using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

/// <summary>Blue-green as a slot swap, with and without preview, end to end against the emulator, the slots checked after every step.</summary>
public sealed class AppServiceBlueGreenTests
{
    private const string BlueGreen = """
        strategy:
          blueGreen: { preSwitchGates: [slot-errors], postSwitchGates: [errors], bake: 1m, keepPreviousFor: 30m }
        gates:
          - { name: slot-errors, azureMonitor: { preset: http5xxRate, side: candidate }, condition: "< 0.05", count: 1, noData: pass }
          - { name: errors, azureMonitor: { preset: http5xxRate, side: candidate }, condition: "< 0.05", count: 2, interval: 30s, inconclusiveLimit: 1 }
        hooks:
          preSwitch: [ { name: smoke, run: ./smoke.sh } ]

        """;

    [Fact]
    public async Task Blue_green_swaps_the_slot_into_production_with_gates_on_the_slot_before_and_on_production_after()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(BlueGreen);
        var platform = bed.Platform(spec);
        var hooks = new RecordingHooks();

        (DeploymentResult Result, List<AppsState> States) run;
        await using (var traffic = bed.Traffic())
        {
            run = await bed.DeployAsync(spec, platform, hooks: hooks);
            Assert.True(traffic.Sent > 0);
            Assert.Equal(0, traffic.Failed);
        }

        Assert.Equal(DeploymentOutcome.Promoted, run.Result.Outcome);
        // wait healthy, smoke, slot gate, swap, production gate, bake, keep previous
        Assert.Equal(
            ["prod=v1 slot=v2", "prod=v1 slot=v2", "prod=v1 slot=v2", "prod=v2 slot=v1", "prod=v2 slot=v1", "prod=v2 slot=v1", "prod=v2 slot=v1"],
            run.States.Select(s => s.Serving));
        Assert.Equal($"https://{bed.Staging.HostName}", Assert.Single(hooks.Calls).Preview);
        Assert.Equal(2, run.Result.Gates.Single(g => g.Gate == "errors").Measurements);
        var swap = Assert.Single(bed.App.Swaps);
        Assert.Equal(("staging", "production", false), (swap.SourceSlot, swap.TargetSlot, swap.WithPreview));
        Assert.DoesNotContain(AppServiceTagStore.LeaseKey, bed.App.Production.Tags.Keys);
        Assert.Contains("zdp:journal:0", bed.App.Production.Tags.Keys);
        var journal = await bed.Bed.DriveAsync(bed.Platform(spec).ReadJournalAsync(CancellationToken.None));
        Assert.Equal((DeploymentStatus.Succeeded, run.Result.DeploymentId), (journal!.Status, journal.DeploymentId));
        Assert.NotNull(journal.PreviousKeptUntil);
        Assert.Empty(bed.Emulator.Violations);
    }
}
