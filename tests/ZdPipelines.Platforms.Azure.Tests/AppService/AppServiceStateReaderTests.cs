using Azure;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

public sealed class AppServiceStateReaderTests
{
    [Fact]
    public async Task A_quiet_app_reads_as_two_running_slots_no_routing_and_no_warnings()
    {
        await using var bed = await AzureTestBed.StartAsync();

        var state = await new AppServiceStateReader(bed.Clients.WebApps).ReadAsync(bed.SiteId, "staging", CancellationToken.None);

        Assert.Equal(("production", bed.App.Production.HostName, true), (state.Production.Name, state.Production.HostName, state.Production.IsRunning));
        Assert.Equal(("staging", bed.App.Slot("staging").HostName, bed.SlotId), (state.Slot.Name, state.Slot.HostName, state.Slot.Id));
        Assert.Equal(0, state.SlotTrafficPercentage);
        Assert.Null(state.PendingPreview);
        Assert.Empty(state.Warnings);
        Assert.Equal(5, bed.ArmRequests.Count);
    }

    [Fact]
    public async Task Routing_to_the_slot_and_to_others_is_told_apart()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var canary = bed.App.AddSlot("canary", "v3");
        var staging = bed.App.Slot("staging");
        await bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch(
        [
            new RampUpRule { ActionHostName = staging.HostName, ReroutePercentage = 20, Name = "staging" },
            new RampUpRule { ActionHostName = canary.HostName, ReroutePercentage = 5, Name = "canary" },
        ]));

        var state = await new AppServiceStateReader(bed.Clients.WebApps).ReadAsync(bed.SiteId, "staging", CancellationToken.None);

        Assert.Equal(20, state.SlotTrafficPercentage);
        Assert.Equal(canary.HostName, Assert.Single(state.OtherRules).ActionHostName);
        Assert.Contains(state.Warnings, w => w.Contains("5 % of production traffic to " + canary.HostName));
    }

    [Fact]
    public async Task A_pending_preview_a_stopped_slot_auto_swap_and_sticky_settings_are_warned_about()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.StickyAppSettingNames = ["DB"];
        await bed.Clients.WebApps.ApplySlotConfigToProductionAsync(bed.SiteId, new CsmSlotEntity("staging", true));
        bed.App.Slot("staging").State = "Stopped";
        bed.App.Slot("staging").SetConfigProperty("autoSwapSlotName", "production");

        var state = await new AppServiceStateReader(bed.Clients.WebApps).ReadAsync(bed.SiteId, "staging", CancellationToken.None);

        Assert.Equal(("staging", "production"), state.PendingPreview);
        Assert.Equal("production", state.Slot.AutoSwapSlotName);
        Assert.Collection(
            state.Warnings,
            w => Assert.Contains("is Stopped, not Running", w),
            w => Assert.Contains("swap with preview of 'staging' into 'production' is pending", w),
            w => Assert.Contains("auto-swaps into 'production'", w),
            w => Assert.Contains("(DB)", w));
    }

    [Fact]
    public async Task After_a_swap_the_slots_report_it()
    {
        await using var bed = await AzureTestBed.StartAsync();
        await bed.DriveAsync(bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Completed, bed.SlotId, new CsmSlotEntity("production", true)));

        var state = await new AppServiceStateReader(bed.Clients.WebApps).ReadAsync(bed.SiteId, "staging", CancellationToken.None);

        Assert.Equal(("staging", "production"), (state.Production.LastSwap?.SourceSlotName, state.Production.LastSwap?.DestinationSlotName));
        Assert.Equal(Assert.Single(bed.App.Swaps).CompletedAt, state.Slot.LastSwap?.TimestampUtc);
    }

    [Fact]
    public async Task A_reader_role_is_enough_and_a_missing_slot_is_the_404_of_that_slot()
    {
        await using var bed = await AzureTestBed.StartAsync(role: EmulatedRole.Reader);
        var reader = new AppServiceStateReader(bed.Clients.WebApps);

        await reader.ReadAsync(bed.SiteId, "staging", CancellationToken.None);
        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => reader.ReadAsync(bed.SiteId, "blue", CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Contains("slots/blue", error.Message);
    }

    [Fact]
    public async Task Production_is_no_deployment_slot()
    {
        await using var bed = await AzureTestBed.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => new AppServiceStateReader(bed.Clients.WebApps).ReadAsync(bed.SiteId, "production", CancellationToken.None));
    }
}
