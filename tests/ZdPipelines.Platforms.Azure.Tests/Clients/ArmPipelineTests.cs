using Azure;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.Clients;

public sealed class ArmPipelineTests
{
    [Fact]
    public async Task Throttled_requests_are_retried_by_Azure_Core_and_succeed()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.Emulator.Faults.Throttle(2, TimeSpan.Zero, "WebApps_GetSlot");

        var slot = await bed.Clients.WebApps.GetSlotAsync(bed.SlotId);

        Assert.Equal("shop-api/staging", slot.Name);
        Assert.Equal([429, 429, 200], bed.Emulator.Requests.Where(r => r.OperationId == "WebApps_GetSlot").Select(r => r.Status));
        Assert.Equal(1, bed.Clients.Counter.Calls["WebApps_GetSlot"]);
        Assert.Equal(3, bed.Clients.Counter.Attempts["WebApps_GetSlot"]);
    }

    [Fact]
    public async Task Server_errors_are_retried_and_a_swap_still_starts_once()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.Emulator.Faults.Fail(1, 503, "WebApps_SwapSlotSlot");
        bed.Emulator.Faults.Fail(1, 500, "WebApps_SwapSlotSlot");

        await bed.DriveAsync(bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Completed, bed.SlotId, new CsmSlotEntity("production", true)));

        Assert.Equal([503, 500, 202], bed.Emulator.Requests.Where(r => r.OperationId == "WebApps_SwapSlotSlot").Select(r => r.Status));
        Assert.Single(bed.App.Swaps);
        Assert.Equal("v2", bed.App.Production.Version);
    }

    [Fact]
    public async Task Errors_while_polling_are_retried_too()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var swap = await bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Started, bed.SlotId, new CsmSlotEntity("production", true));
        bed.Emulator.Faults.Throttle(1, TimeSpan.Zero, "Poll");
        bed.Emulator.Faults.Fail(1, 502, "Poll");

        await bed.DriveAsync(swap.WaitForCompletionResponseAsync(CancellationToken.None));

        Assert.Equal(ArmOperation.Succeeded, swap.Status);
        Assert.Contains(bed.Emulator.Requests, r => r.OperationId == "Poll" && r.Status == 429);
        Assert.Contains(bed.Emulator.Requests, r => r.OperationId == "Poll" && r.Status == 502);
    }

    [Fact]
    public async Task Server_errors_past_the_retries_end_in_one_typed_error()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.Emulator.Faults.Fail(10, 500, "WebApps_Get");

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => bed.Clients.WebApps.GetSiteAsync(bed.SiteId));

        Assert.Equal((500, "InternalServerError", "WebApps_Get"), (error.Status, error.ErrorCode, error.OperationId));
        Assert.Equal(bed.SiteId.ToString(), error.ResourceId);
        Assert.NotNull(error.RequestId);
        Assert.Equal(ArmClientDefaults.MaxRetries + 1, bed.Emulator.Requests.Count(r => r.OperationId == "WebApps_Get"));
    }

    [Fact]
    public async Task A_throttle_longer_than_the_retry_budget_ends_the_request_with_a_timeout()
    {
        await using var bed = await AzureTestBed.StartAsync();
        await bed.Clients.WebApps.GetSlotAsync(bed.SlotId); // the token first: the budget counts its acquisition too
        bed.Emulator.Faults.Throttle(1, TimeSpan.FromHours(1), "WebApps_Get");

        // Azure.Core would wait the hour ARM asked for; the budget, on the injected clock, ends it first.
        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() =>
            bed.DriveAsync(bed.Clients.WebApps.GetSiteAsync(bed.SiteId), TimeSpan.FromSeconds(5)));

        Assert.Equal(ArmRequestFailedException.TimeoutCode, error.ErrorCode);
        Assert.Contains("60 s budget", error.Message);
        Assert.Single(bed.Emulator.Requests, r => r.OperationId == "WebApps_Get");
    }

    [Fact]
    public async Task An_ARM_that_never_answers_ends_in_a_timeout_after_every_attempt()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.Emulator.Faults.Hang(2, "WebApps_Get");
        var options = bed.ClientOptions() with { NetworkTimeout = TimeSpan.FromMilliseconds(200), MaxRetries = 1 };
        var clients = new ArmClients(options, AzureCredentialSource.Create(bed.SecretCredential(bed.Principal)), bed.Time);

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => clients.WebApps.GetSiteAsync(bed.SiteId));

        Assert.Equal((ArmRequestFailedException.TimeoutCode, 0), (error.ErrorCode, error.Status));
        Assert.Contains("timed out after 0.2 s", error.Message);
        Assert.Equal(2, bed.ArmRequests.Count(r => r.OperationId == "WebApps_Get"));
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_is_NoResponse_naming_the_endpoint()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closed = new Uri($"https://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/");
        listener.Stop();
        var options = bed.ClientOptions() with { ResourceManagerEndpoint = closed, MaxRetries = 1 };
        var clients = new ArmClients(options, AzureCredentialSource.Create(bed.SecretCredential(bed.Principal)), bed.Time);

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => clients.WebApps.GetSiteAsync(bed.SiteId));

        Assert.Equal(ArmRequestFailedException.NoResponseCode, error.ErrorCode);
        Assert.Contains(closed.Authority, error.Message);
    }

    [Fact]
    public async Task A_principal_without_the_role_gets_one_message_naming_the_action_and_the_scope()
    {
        await using var bed = await AzureTestBed.StartAsync(role: EmulatedRole.Reader);

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() =>
            bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Started, bed.SlotId, new CsmSlotEntity("production", true)));

        Assert.True(error.IsAuthorizationFailed);
        Assert.Equal(("AuthorizationFailed", 403), (error.ErrorCode, error.Status));
        Assert.Equal("Microsoft.Web/sites/slots/slotsswap/action", error.DeniedAction);
        Assert.Equal(bed.SlotId.ToString(), error.Scope, ignoreCase: true);
        Assert.Contains("'Microsoft.Web/sites/slots/slotsswap/action'", error.Message);
        Assert.Contains($"'{bed.SlotId}'", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("assign it a role", error.Message);
        Assert.Empty(bed.App.Swaps);
        Assert.Equal("v1", bed.App.Production.Version);
    }

    [Fact]
    public async Task A_reader_may_read_what_it_needs_for_a_plan()
    {
        await using var bed = await AzureTestBed.StartAsync(role: EmulatedRole.Reader);

        await bed.Clients.WebApps.GetSiteAsync(bed.SiteId);
        await bed.Clients.WebApps.GetSlotAsync(bed.SlotId);
        await bed.Clients.WebApps.GetConfigurationAsync(bed.SiteId);
        await bed.Clients.WebApps.ListSlotConfigurationNamesAsync(bed.SiteId);

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([])));
        Assert.Equal("Microsoft.Web/sites/config/write", error.DeniedAction);
    }

    [Fact]
    public async Task A_custom_role_with_exactly_the_client_actions_allows_every_call()
    {
        var actions = ArmOperationCatalog.All.Select(o => o.Action).Distinct().ToArray();
        await using var bed = await AzureTestBed.StartAsync(role: EmulatedRole.Custom("zdp deployer", actions));

        await bed.Clients.WebApps.GetSlotAsync(bed.SlotId);
        await bed.DriveAsync(bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Completed, bed.SlotId, new CsmSlotEntity("production", true)));
        await bed.Clients.Tags.UpdateAtScopeAsync(bed.SiteId, TagPatchMode.Merge, new Dictionary<string, string> { ["zdp:lease"] = "x" });

        Assert.DoesNotContain(bed.Emulator.Requests, r => r.Status == 403);
    }

    [Fact]
    public async Task A_role_at_another_resource_group_does_not_reach_this_app()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var outsider = bed.Emulator.AddServicePrincipal(EmulatedRole.Contributor, $"{AzureTestBed.SubscriptionScope}/resourceGroups/rg-other");

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => bed.ClientsFor(outsider).WebApps.GetSiteAsync(bed.SiteId));

        Assert.Equal("Microsoft.Web/sites/read", error.DeniedAction);
    }

    [Theory]
    [InlineData("{\"error\":{\"code\":\"Conflict\",\"message\":\"busy\"}}", "Conflict", "busy")]
    [InlineData("{\"code\":\"BadRequest\",\"message\":\"Invalid timespan\"}", "BadRequest", "Invalid timespan")]
    [InlineData("{\"Code\":\"NotFound\",\"Message\":\"Cannot find Site\"}", "NotFound", "Cannot find Site")]
    [InlineData("<html>Bad Gateway</html>", "Http502", "Bad Gateway")]
    [InlineData("", "Http502", "Bad Gateway")]
    public void ARM_error_bodies_of_every_shape_give_a_code_and_a_message(string body, string code, string message)
    {
        var parsed = ArmPipeline.ParseError(502, "Bad Gateway", BinaryData.FromString(body));

        Assert.Equal((code, message), parsed);
    }

    [Fact]
    public void Options_that_would_outlive_the_lease_are_refused_with_the_field_named()
    {
        var options = new ArmClientOptions { TotalRetryBudget = TimeSpan.FromMinutes(5) };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal("TotalRetryBudget", error.ParamName);
        Assert.Contains("lease", error.Message);
    }

    [Fact]
    public void A_plain_http_endpoint_is_refused_because_bearer_tokens_need_TLS()
    {
        var options = new ArmClientOptions { ResourceManagerEndpoint = new Uri("http://127.0.0.1:8080") };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal("ResourceManagerEndpoint", error.ParamName);
    }

    [Fact]
    public void The_token_scope_is_the_audience_or_the_endpoint_origin_with_default()
    {
        Assert.Equal("https://management.azure.com/.default", new ArmClientOptions().TokenScope);
        Assert.Equal("https://management.chinacloudapi.cn/.default", new ArmClientOptions { ResourceManagerEndpoint = new Uri("https://management.chinacloudapi.cn/") }.TokenScope);
        Assert.Equal("https://management.core.windows.net/.default", new ArmClientOptions { ResourceManagerAudience = "https://management.core.windows.net/" }.TokenScope);
    }
}
