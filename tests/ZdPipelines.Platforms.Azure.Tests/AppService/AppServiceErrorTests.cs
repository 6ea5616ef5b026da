using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

/// <summary>What the spec names does not exist, or the identity may not touch it: one message naming the field or the action, and nothing changed.</summary>
public sealed class AppServiceErrorTests
{
    private const string BlueGreen = """
        strategy:
          blueGreen: { bake: 0s }

        """;

    public static TheoryData<string, string, string, string, string> Missing => new()
    {
        { "9f9f9f9f-0000-4000-8000-000000000000", "rg-shop", "shop-api", "staging", "subscription 9f9f9f9f-0000-4000-8000-000000000000 (platform.azureAppService.subscriptionId) was not found" },
        { AzureTestBed.SubscriptionId, "rg-typo", "shop-api", "staging", "resource group 'rg-typo' was not found in subscription" },
        { AzureTestBed.SubscriptionId, "rg-shop", "shop-apj", "staging", "web app 'shop-apj' was not found in resource group 'rg-shop'" },
        { AzureTestBed.SubscriptionId, "rg-shop", "shop-api", "canary", "web app 'shop-api' has no deployment slot 'canary'" },
    };

    [Theory]
    [MemberData(nameof(Missing))]
    public async Task Opening_a_platform_whose_subscription_group_app_or_slot_does_not_exist_is_one_message_and_changes_nothing(
        string subscription, string group, string app, string slot, string message)
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(BlueGreen, platform: $"app: {app}", slot: slot, resourceGroup: group, subscription: subscription);

        var error = await Assert.ThrowsAsync<PlatformException>(() => bed.Bed.DriveAsync(bed.Platform(spec).VerifyAsync(PlatformUse.Change, CancellationToken.None)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        NothingChanged(bed);
    }

    [Fact]
    public async Task An_identity_with_no_role_on_the_app_is_told_the_action_and_the_scope_when_opening()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var elsewhere = bed.Emulator.AddServicePrincipal(EmulatedRole.Contributor, $"{AzureTestBed.SubscriptionScope}/resourceGroups/rg-other");
        var spec = bed.Spec(BlueGreen);

        var error = await Assert.ThrowsAsync<PlatformException>(() =>
            bed.Bed.DriveAsync(bed.Platform(spec, bed.Bed.ClientsFor(elsewhere)).VerifyAsync(PlatformUse.Inspect, CancellationToken.None)));

        Assert.Contains("may not perform 'Microsoft.Web/sites/read'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"on scope '{bed.Bed.SiteId}'", error.Message, StringComparison.Ordinal);
        NothingChanged(bed);
    }

    [Fact]
    public async Task A_reader_can_plan_but_its_deployment_stops_at_the_lease_naming_the_tag_write_it_lacks()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var reader = bed.Emulator.AddServicePrincipal(EmulatedRole.Reader, AzureTestBed.SubscriptionScope);
        var spec = bed.Spec(BlueGreen);
        var platform = bed.Platform(spec, bed.Bed.ClientsFor(reader));
        var notes = await bed.Bed.DriveAsync(platform.VerifyAsync(PlatformUse.Change, CancellationToken.None));
        var plan = await bed.PlanAsync(spec, platform);

        var error = await Assert.ThrowsAsync<PlatformException>(() => bed.Bed.DriveAsync(bed.EngineFor(platform).DeployAsync(spec, plan, "digest", CancellationToken.None)));

        Assert.NotEmpty(notes);
        Assert.Contains("may not perform 'Microsoft.Resources/tags/write'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"on scope '{bed.Bed.SiteId}/providers/Microsoft.Resources/tags/default'", error.Message, StringComparison.Ordinal);
        NothingChanged(bed);
        Assert.Equal("prod=v1 slot=v2", bed.State().Serving);
    }

    [Fact]
    public async Task A_pending_swap_with_preview_that_zdp_did_not_start_refuses_a_deployment_with_the_commands_to_end_it()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(BlueGreen);
        // Someone began a swap with preview by hand and left it.
        await bed.Bed.DriveAsync(bed.Bed.Clients.WebApps.ApplySlotConfigToProductionAsync(bed.Bed.SiteId, new ZdPipelines.Platforms.Azure.Clients.CsmSlotEntity("staging", true)));

        var plan = await bed.Bed.DriveAsync(bed.Platform(spec).VerifyAsync(PlatformUse.Inspect, CancellationToken.None));
        var deploy = await Assert.ThrowsAsync<PlatformException>(() => bed.Bed.DriveAsync(bed.Platform(spec).VerifyAsync(PlatformUse.Change, CancellationToken.None)));

        Assert.Contains(plan, n => n.Contains("swap with preview of 'staging' into 'production' is pending", StringComparison.Ordinal));
        Assert.Contains("--action reset", deploy.Message, StringComparison.Ordinal);
        Assert.Equal(PlatformErrorKind.Unsuitable, deploy.Kind);
        Assert.NotNull(bed.App.PendingPreview);
    }

    [Fact]
    public async Task Plan_notes_say_what_a_deployment_should_know_about_the_live_state()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        bed.App.StickyAppSettingNames = ["DB"];
        bed.Staging.State = "Stopped";
        var spec = bed.Spec("""
            strategy:
              canary: { steps: [ { setWeight: 10 } ] }

            """);

        var notes = await bed.Bed.DriveAsync(bed.Platform(spec).VerifyAsync(PlatformUse.Inspect, CancellationToken.None));

        Assert.Contains(notes, n => n.Contains("slot 'staging' is Stopped", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("sticky setting(s) (DB)", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("x-ms-routing-name cookie for an hour", StringComparison.Ordinal));
        NothingChanged(bed);
    }

    /// <summary>No ARM request that changes something succeeded.</summary>
    private static void NothingChanged(AppServiceTestBed bed) =>
        Assert.DoesNotContain(bed.Bed.ArmRequests, r => r.Method != "GET" && r.Status is >= 200 and < 300);
}
