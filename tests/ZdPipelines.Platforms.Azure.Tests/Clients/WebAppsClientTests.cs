using Azure;
using ZdPipelines.AzureEmulator;
using ZdPipelines.AzureEmulator.State;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.Clients;

public sealed class WebAppsClientTests
{
    [Fact]
    public async Task Get_site_returns_state_host_names_and_tags_as_ARM_has_them()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.Production.SetTag("team", "shop");

        var site = await bed.Clients.WebApps.GetSiteAsync(bed.SiteId);

        Assert.Equal(bed.SiteId, site.Id);
        Assert.Equal("shop-api", site.Name);
        Assert.Equal("Running", site.State);
        Assert.True(site.IsRunning);
        Assert.Equal("shop-api.azurewebsites.net", site.DefaultHostName);
        Assert.Equal(["shop-api.azurewebsites.net"], site.HostNames);
        Assert.Contains("shop-api.scm.azurewebsites.net", site.EnabledHostNames);
        Assert.Equal("shop", site.Tags["team"]);
        Assert.Null(site.TargetSwapSlot);
    }

    [Fact]
    public async Task Get_slot_returns_the_host_name_ARM_assigned_with_its_random_suffix()
    {
        await using var bed = await AzureTestBed.StartAsync();

        var slot = await bed.Clients.WebApps.GetSlotAsync(bed.SlotId);

        Assert.Equal("shop-api/staging", slot.Name);
        Assert.Equal(bed.App.Slot("staging").HostName, slot.DefaultHostName);
        Assert.Matches("^shop-api-staging-[a-z0-9]{4}\\.azurewebsites\\.net$", slot.DefaultHostName);
        Assert.NotEqual("shop-api-staging.azurewebsites.net", slot.DefaultHostName);
    }

    [Fact]
    public async Task A_stopped_slot_reads_as_not_running()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.Slot("staging").State = "Stopped";

        var slot = await bed.Clients.WebApps.GetSlotAsync(bed.SlotId);

        Assert.Equal("Stopped", slot.State);
        Assert.False(slot.IsRunning);
    }

    [Fact]
    public async Task A_missing_app_is_a_404_naming_the_operation_and_the_app()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var missing = WebAppIds.Site(AzureTestBed.SubscriptionId, AzureTestBed.ResourceGroup, "no-such-app");

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => bed.Clients.WebApps.GetSiteAsync(missing));

        Assert.True(error.IsNotFound);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.Equal("WebApps_Get", error.OperationId);
        Assert.Contains("no-such-app", error.Message);
        Assert.Contains("Fix:", error.Message);
    }

    [Fact]
    public async Task A_missing_slot_is_a_404_naming_the_slot()
    {
        await using var bed = await AzureTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => bed.Clients.WebApps.GetSlotAsync(WebAppIds.Slot(bed.SiteId, "canary")));

        Assert.Equal(404, error.Status);
        Assert.Equal("WebApps_GetSlot", error.OperationId);
        Assert.Contains("slots/canary", error.Message);
    }

    [Fact]
    public async Task A_missing_resource_group_is_ResourceGroupNotFound()
    {
        await using var bed = await AzureTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() =>
            bed.Clients.WebApps.GetSiteAsync(WebAppIds.Site(AzureTestBed.SubscriptionId, "rg-typo", AzureTestBed.AppName)));

        Assert.Equal((404, "ResourceGroupNotFound"), (error.Status, error.ErrorCode));
        Assert.Contains("rg-typo", error.Message);
    }

    [Fact]
    public async Task An_empty_resource_group_has_no_such_app()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.Emulator.AddResourceGroup(AzureTestBed.SubscriptionId, "rg-empty");

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() =>
            bed.Clients.WebApps.GetSiteAsync(WebAppIds.Site(AzureTestBed.SubscriptionId, "rg-empty", AzureTestBed.AppName)));

        Assert.Equal((404, "ResourceNotFound"), (error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task With_both_headers_the_client_polls_the_Azure_AsyncOperation_status_resource()
    {
        await using var bed = await AzureTestBed.StartAsync(o => o with { LongRunningStyle = LongRunningStyle.Both });

        var swap = await bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Started, bed.SlotId, new CsmSlotEntity("production", true));

        Assert.Contains("/operationResults/", swap.PollingUri!.AbsolutePath);
    }

    [Fact]
    public async Task A_subscription_ARM_does_not_know_is_SubscriptionNotFound()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var elsewhere = WebAppIds.Site("9f9f9f9f-0000-4000-8000-000000000000", AzureTestBed.ResourceGroup, AzureTestBed.AppName);

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => bed.Clients.WebApps.GetSiteAsync(elsewhere));

        Assert.Equal(404, error.Status);
        Assert.Equal("SubscriptionNotFound", error.ErrorCode);
        Assert.Contains("9f9f9f9f-0000-4000-8000-000000000000", error.Message);
    }

    [Fact]
    public async Task Swap_with_production_polls_Location_and_moves_the_versions_only_when_it_completes()
    {
        await using var bed = await AzureTestBed.StartAsync();

        var swap = await bed.Clients.WebApps.SwapSlotWithProductionAsync(WaitUntil.Started, bed.SiteId, new CsmSlotEntity("staging", PreserveVnet: true));

        Assert.False(swap.HasCompleted);
        Assert.Contains("operationLocations", swap.PollingUri!.AbsolutePath);
        await swap.UpdateStatusAsync(CancellationToken.None);
        Assert.False(swap.HasCompleted);
        Assert.Equal(("v1", "v2"), (bed.App.Production.Version, bed.App.Slot("staging").Version));

        await bed.DriveAsync(swap.WaitForCompletionResponseAsync(CancellationToken.None));

        Assert.True(swap.HasCompleted);
        Assert.Equal(ArmOperation.Succeeded, swap.Status);
        Assert.Equal(("v2", "v1"), (bed.App.Production.Version, bed.App.Slot("staging").Version));
        var record = Assert.Single(bed.App.Swaps);
        Assert.Equal(("staging", "production", EmulatedSwap.Succeeded), (record.SourceSlot, record.TargetSlot, record.Status));
        Assert.True(record.CompletedAt >= record.DueAt);
    }

    [Fact]
    public async Task Swap_slot_follows_Azure_AsyncOperation_until_Succeeded_and_reports_the_last_swap()
    {
        await using var bed = await AzureTestBed.StartAsync(o => o with { LongRunningStyle = LongRunningStyle.AzureAsyncOperation });

        var swap = await bed.DriveAsync(bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Completed, bed.SlotId, new CsmSlotEntity(CsmSlotEntity.ProductionSlotName, true)));

        Assert.Contains("operationResults", swap.PollingUri!.AbsolutePath);
        Assert.Equal(ArmOperation.Succeeded, swap.Status);
        Assert.True(swap.Polls >= 2);
        Assert.Equal("v2", bed.App.Production.Version);
        var slot = await bed.Clients.WebApps.GetSlotAsync(bed.SlotId);
        Assert.Equal(("staging", "production"), (slot.SlotSwapStatus?.SourceSlotName, slot.SlotSwapStatus?.DestinationSlotName));
    }

    [Fact]
    public async Task Swap_answered_with_200_is_complete_without_a_poll()
    {
        await using var bed = await AzureTestBed.StartAsync(o => o with { SwapDuration = TimeSpan.Zero });

        var swap = await bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Completed, bed.SlotId, new CsmSlotEntity("production", true));

        Assert.True(swap.HasCompleted);
        Assert.Equal(0, swap.Polls);
        Assert.Null(swap.PollingUri);
        Assert.Equal("v2", bed.App.Production.Version);
    }

    [Theory]
    [InlineData(LongRunningStyle.Location)]
    [InlineData(LongRunningStyle.AzureAsyncOperation)]
    public async Task A_swap_that_fails_in_ARM_throws_its_error_and_leaves_both_slots_as_they_were(LongRunningStyle style)
    {
        await using var bed = await AzureTestBed.StartAsync(o => o with { LongRunningStyle = style });
        bed.App.FailNextSwap("SwapWarmupFailed", "Swap failed: the warm-up of slot staging timed out.", 409);

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() =>
            bed.DriveAsync(bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Completed, bed.SlotId, new CsmSlotEntity("production", true))));

        Assert.Equal("SwapWarmupFailed", error.ErrorCode);
        Assert.Equal("WebApps_SwapSlotSlot", error.OperationId);
        Assert.Contains("warm-up", error.Message);
        Assert.Equal(("v1", "v2"), (bed.App.Production.Version, bed.App.Slot("staging").Version));
        Assert.Equal(EmulatedSwap.Failed, Assert.Single(bed.App.Swaps).Status);
    }

    [Fact]
    public async Task A_second_swap_while_one_runs_is_a_409_conflict()
    {
        await using var bed = await AzureTestBed.StartAsync();
        await bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Started, bed.SlotId, new CsmSlotEntity("production", true));

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() =>
            bed.Clients.WebApps.SwapSlotWithProductionAsync(WaitUntil.Started, bed.SiteId, new CsmSlotEntity("staging", true)));

        Assert.Equal(409, error.Status);
        Assert.Equal("Conflict", error.ErrorCode);
    }

    [Fact]
    public async Task Swap_with_preview_runs_the_slot_with_production_sticky_settings_and_the_swap_completes_it()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.StickyAppSettingNames = ["DB"];
        bed.App.Production.SetAppSetting("DB", "prod-db");
        bed.App.Production.SetAppSetting("FEATURE", "old");
        var staging = bed.App.Slot("staging");
        staging.SetAppSetting("DB", "staging-db");
        staging.SetAppSetting("FEATURE", "new");

        await bed.Clients.WebApps.ApplySlotConfigToProductionAsync(bed.SiteId, new CsmSlotEntity("staging", true));

        Assert.Equal("prod-db", staging.EffectiveAppSettings["DB"]);
        Assert.Equal("new", staging.EffectiveAppSettings["FEATURE"]);
        Assert.Equal("production", (await bed.Clients.WebApps.GetSlotAsync(bed.SlotId)).TargetSwapSlot);
        Assert.Equal("v1", bed.App.Production.Version);

        await bed.DriveAsync(bed.Clients.WebApps.SwapSlotWithProductionAsync(WaitUntil.Completed, bed.SiteId, new CsmSlotEntity("staging", true)));

        Assert.Null(bed.App.PendingPreview);
        Assert.True(Assert.Single(bed.App.Swaps).WithPreview);
        Assert.Equal(("v2", "new", "prod-db"), (bed.App.Production.Version, bed.App.Production.AppSettings["FEATURE"], bed.App.Production.AppSettings["DB"]));
        Assert.Equal(("old", "staging-db"), (staging.AppSettings["FEATURE"], staging.AppSettings["DB"]));
        Assert.Null((await bed.Clients.WebApps.GetSlotAsync(bed.SlotId)).TargetSwapSlot);
    }

    [Fact]
    public async Task Reset_cancels_a_swap_with_preview_and_the_slot_runs_with_its_own_settings_again()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.StickyAppSettingNames = ["DB"];
        bed.App.Production.SetAppSetting("DB", "prod-db");
        var staging = bed.App.Slot("staging");
        staging.SetAppSetting("DB", "staging-db");
        await bed.Clients.WebApps.ApplySlotConfigurationSlotAsync(bed.SlotId, new CsmSlotEntity("production", true));
        Assert.Equal("prod-db", staging.EffectiveAppSettings["DB"]);

        await bed.Clients.WebApps.ResetSlotConfigurationSlotAsync(bed.SlotId);

        Assert.Null(bed.App.PendingPreview);
        Assert.Equal("staging-db", staging.EffectiveAppSettings["DB"]);
        Assert.Null(staging.TargetSwapSlot);
        Assert.Equal("v1", bed.App.Production.Version);
    }

    [Fact]
    public async Task Resetting_production_also_cancels_the_pending_preview()
    {
        await using var bed = await AzureTestBed.StartAsync();
        await bed.Clients.WebApps.ApplySlotConfigToProductionAsync(bed.SiteId, new CsmSlotEntity("staging", true));

        await bed.Clients.WebApps.ResetProductionSlotConfigAsync(bed.SiteId);

        Assert.Null(bed.App.PendingPreview);
    }

    [Fact]
    public async Task Config_patch_replaces_the_ramp_up_rules_and_a_get_reads_them_back()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var slot = await bed.Clients.WebApps.GetSlotAsync(bed.SlotId);
        var rule = new RampUpRule { ActionHostName = slot.DefaultHostName, ReroutePercentage = 10, Name = "staging" };

        var updated = await bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([rule]));
        var read = await bed.Clients.WebApps.GetConfigurationAsync(bed.SiteId);

        Assert.Equal(rule, Assert.Single(updated.RampUpRules));
        Assert.Equal(rule, Assert.Single(read.RampUpRules));
        Assert.Equal(1, read.NumberOfWorkers);
        Assert.Equal(new EmulatedRampUpRule("staging", slot.DefaultHostName, 10), Assert.Single(bed.App.Production.RampUpRules));

        await bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([]));

        Assert.Empty((await bed.Clients.WebApps.GetConfigurationAsync(bed.SiteId)).RampUpRules);
        Assert.Empty(bed.App.Production.RampUpRules);
    }

    [Fact]
    public async Task Slot_config_is_read_from_the_slot_resource()
    {
        await using var bed = await AzureTestBed.StartAsync();

        var config = await bed.Clients.WebApps.GetConfigurationAsync(bed.SlotId);

        Assert.Equal(bed.SlotId + "/config/web", config.Id);
        Assert.Empty(config.RampUpRules);
    }

    [Fact]
    public async Task A_ramp_up_rule_outside_0_to_100_is_refused_before_it_is_sent()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var rule = new RampUpRule { ActionHostName = "shop-api-staging.azurewebsites.net", ReroutePercentage = 120, Name = "staging" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([rule])));

        Assert.Contains("0-100", error.Message);
        Assert.DoesNotContain(bed.Emulator.Requests, r => r.OperationId == "WebApps_UpdateConfiguration");
    }

    [Fact]
    public async Task A_rule_naming_a_host_that_is_no_slot_of_the_app_is_a_400_from_the_emulator()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var rule = new RampUpRule { ActionHostName = "shop-api-staging.azurewebsites.net", ReroutePercentage = 10, Name = "staging" };

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([rule])));

        Assert.Equal(400, error.Status);
        Assert.Contains("ActionHostName", error.ArmMessage);
    }

    [Fact]
    public async Task Slot_configuration_names_list_the_sticky_settings()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.StickyAppSettingNames = ["DB", "REGION"];
        bed.App.StickyConnectionStringNames = ["Main"];

        var names = await bed.Clients.WebApps.ListSlotConfigurationNamesAsync(bed.SiteId);

        Assert.Equal(["DB", "REGION"], names.AppSettingNames);
        Assert.Equal(["Main"], names.ConnectionStringNames);
        Assert.Empty(names.AzureStorageConfigNames);
    }

    [Fact]
    public async Task A_slot_id_where_a_site_id_belongs_is_a_caller_error_before_any_request()
    {
        await using var bed = await AzureTestBed.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => bed.Clients.WebApps.GetSiteAsync(bed.SlotId));
        await Assert.ThrowsAsync<ArgumentException>(() => bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Started, bed.SiteId, new CsmSlotEntity("production", true)));

        Assert.Empty(bed.ArmRequests);
    }
}
