using ZdPipelines.AzureEmulator.State;
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
          - { name: slot-errors, azureMonitor: { preset: http5xxRate, side: candidate, window: 1m }, condition: "< 0.05", count: 2, interval: 30s, noData: pass }
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

    [Fact]
    public async Task Blue_green_swaps_back_when_the_post_swap_gate_sees_production_fail()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(BlueGreen);
        await using var traffic = bed.Traffic(cookies: false);

        var (result, states) = await bed.DeployAsync(spec, bed.Platform(spec), afterStep: (step, rollback) =>
        {
            if (step.StartsWith("switch", StringComparison.Ordinal) && !rollback)
            {
                // The new version fails once it serves production.
                bed.App.Production.ErrorRate = 1;
            }
        });

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("gate 'errors' failed", result.Reason, StringComparison.Ordinal);
        Assert.Equal(["prod=v1 slot=v2", "prod=v1 slot=v2", "prod=v1 slot=v2", "prod=v2 slot=v1"], states.Where(s => !s.Rollback).Select(s => s.Serving));
        Assert.Equal(["prod=v2 slot=v1", "prod=v1 slot=v2"], states.Where(s => s.Rollback).Select(s => s.Serving));
        Assert.Equal([EmulatedSwap.Succeeded, EmulatedSwap.Succeeded], bed.App.Swaps.Select(s => s.Status));
        Assert.Equal(0, bed.App.Production.ErrorRate);
        Assert.Empty(bed.Emulator.Violations);
    }

    [Fact]
    public async Task Blue_green_does_not_swap_when_the_gate_on_the_slot_fails_before_the_swap()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(BlueGreen);
        ClientTraffic? testers = null;

        var (result, states) = await bed.DeployAsync(spec, bed.Platform(spec), afterStep: (step, _) =>
        {
            if (step.StartsWith("wait until", StringComparison.Ordinal) && testers is null)
            {
                // Healthy a moment ago, the new version now fails the testers who try it on the slot's host name.
                bed.Staging.ErrorRate = 1;
                testers = ClientTraffic.Start(bed.Emulator, bed.Staging.HostName, cookies: false);
            }
        });
        await testers!.DisposeAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("gate 'slot-errors' failed", result.Reason, StringComparison.Ordinal);
        Assert.All(states, s => Assert.Equal("prod=v1 slot=v2", s.Serving));
        Assert.Empty(bed.App.Swaps);
    }

    [Fact]
    public async Task A_swap_that_fails_in_ARM_leaves_both_slots_as_they_were_and_the_deployment_rolled_back()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        bed.App.FailNextSwap("SwapWarmupFailed", "The swap failed: the source slot did not answer its warm-up requests.", status: 409);
        var spec = bed.Spec("""
            strategy:
              blueGreen: { bake: 0s }

            """);

        var (result, states) = await bed.DeployAsync(spec, bed.Platform(spec));

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("SwapWarmupFailed", result.Reason, StringComparison.Ordinal);
        Assert.Contains("WebApps_SwapSlotSlot", result.Reason, StringComparison.Ordinal);
        Assert.All(states, s => Assert.Equal("prod=v1 slot=v2", s.Serving));
        Assert.Equal(EmulatedSwap.Failed, Assert.Single(bed.App.Swaps).Status);
        Assert.DoesNotContain(AppServiceTagStore.LeaseKey, bed.App.Production.Tags.Keys);
    }

    [Fact]
    public async Task Swap_with_preview_gates_the_slot_running_with_productions_settings_then_completes_the_swap()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        SeedStickySetting(bed);
        var spec = bed.Spec(BlueGreen, preview: true);
        var hooks = new RecordingHooks();

        (DeploymentResult Result, List<AppsState> States) run;
        await using (var traffic = bed.Traffic())
        {
            run = await bed.DeployAsync(spec, bed.Platform(spec), hooks: hooks);
            Assert.True(traffic.Sent > 0);
            Assert.Equal(0, traffic.Failed);
        }

        var (result, states) = run;
        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        // wait healthy, preview (applySlotConfig), smoke, slot gate, swap, preview back (in place), production gate, bake, keep
        Assert.Equal(
            ["prod=v1 slot=v2", "prod=v1 slot=v2 preview", "prod=v1 slot=v2 preview", "prod=v1 slot=v2 preview", "prod=v2 slot=v1", "prod=v2 slot=v1", "prod=v2 slot=v1", "prod=v2 slot=v1", "prod=v2 slot=v1"],
            states.Select(s => s.Serving));
        Assert.Equal("prod-db", states[3].Apps[0].SlotSettings["DB"]);
        Assert.True(Assert.Single(bed.App.Swaps).WithPreview);
        // The previous version left in the slot runs with the slot's own sticky settings again.
        Assert.Equal("staging-db", bed.Staging.EffectiveAppSettings["DB"]);
        Assert.Empty(bed.Emulator.Violations);
    }

    [Fact]
    public async Task Swap_with_preview_resets_the_slot_when_its_gate_fails_and_never_swaps()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        SeedStickySetting(bed);
        var spec = bed.Spec(BlueGreen, preview: true);
        ClientTraffic? testers = null;

        var (result, states) = await bed.DeployAsync(spec, bed.Platform(spec), afterStep: (step, _) =>
        {
            if (step.StartsWith("point the preview route at candidate", StringComparison.Ordinal) && testers is null)
            {
                // The new version fails with production's settings (e.g. production's database).
                bed.Staging.ErrorRate = 1;
                testers = ClientTraffic.Start(bed.Emulator, bed.Staging.HostName, cookies: false);
            }
        });
        await testers!.DisposeAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("gate 'slot-errors' failed", result.Reason, StringComparison.Ordinal);
        Assert.Equal(["prod=v1 slot=v2"], states.Where(s => s.Rollback).Select(s => s.Serving));
        Assert.Null(bed.App.PendingPreview);
        Assert.Equal("staging-db", bed.Staging.EffectiveAppSettings["DB"]);
        Assert.Empty(bed.App.Swaps);
    }

    [Fact]
    public async Task Zdp_rollback_after_a_finished_blue_green_is_one_swap_from_another_machine()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec("""
            strategy:
              blueGreen: { bake: 0s, keepPreviousFor: 30m }

            """);
        var (result, _) = await bed.DeployAsync(spec, bed.Platform(spec));
        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);

        // Another machine: a new platform and a new engine, knowing nothing but the spec.
        var elsewhere = bed.Platform(spec);
        var rollback = await bed.Bed.DriveAsync(bed.EngineFor(elsewhere).RollbackAsync(spec, "zdp rollback", CancellationToken.None));

        Assert.Equal(DeploymentOutcome.RolledBack, rollback.Outcome);
        Assert.Equal("prod=v1 slot=v2", bed.State().Serving);
        Assert.Equal(2, bed.App.Swaps.Count);
    }

    [Fact]
    public async Task Throttling_and_server_errors_on_the_way_are_retried_and_the_deployment_completes()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        bed.Emulator.Faults.Throttle(3, TimeSpan.Zero, operationId: "WebApps_GetSlot");
        bed.Emulator.Faults.Fail(2, status: 503, operationId: "WebApps_SwapSlotSlot");
        bed.Emulator.Faults.Fail(1, status: 500, operationId: "Tags_UpdateAtScope");
        bed.Emulator.Faults.Throttle(1, TimeSpan.Zero, operationId: "Poll");
        var spec = bed.Spec("""
            strategy:
              blueGreen: { bake: 0s }

            """);

        var (result, _) = await bed.DeployAsync(spec, bed.Platform(spec));

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal("prod=v2 slot=v1", bed.State().Serving);
        Assert.Contains(bed.Emulator.Requests, r => r.Status == 429);
        Assert.Contains(bed.Emulator.Requests, r => r.Status == 503 && r.OperationId == "WebApps_SwapSlotSlot");
        Assert.Single(bed.App.Swaps);
    }

    /// <summary>A sticky setting DB: production's is prod-db, the slot's staging-db; only a swap with preview shows the slot production's.</summary>
    private static void SeedStickySetting(AppServiceTestBed bed)
    {
        bed.App.StickyAppSettingNames = ["DB"];
        bed.App.Production.SetAppSetting("DB", "prod-db");
        bed.Staging.SetAppSetting("DB", "staging-db");
    }
}
