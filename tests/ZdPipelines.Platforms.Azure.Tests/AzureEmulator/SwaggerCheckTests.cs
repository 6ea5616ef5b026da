using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure;
using Azure.Core;
using ZdPipelines.AzureEmulator;
using ZdPipelines.AzureEmulator.Arm;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.AzureEmulator.Swagger;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AzureEmulator;

public sealed class SwaggerCheckTests
{
    [Fact]
    public async Task Every_request_the_clients_send_fits_the_official_descriptions_and_so_does_every_answer()
    {
        await using var bed = await AzureTestBed.StartAsync(o => o with { LongRunningStyle = LongRunningStyle.Both, TagWritesAreLongRunning = true });
        var web = bed.Clients.WebApps;
        var now = bed.Time.GetUtcNow();
        var slot = await web.GetSlotAsync(bed.SlotId);
        await web.GetSiteAsync(bed.SiteId);
        await web.GetConfigurationAsync(bed.SiteId);
        await web.GetConfigurationAsync(bed.SlotId);
        await web.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([new RampUpRule { ActionHostName = slot.DefaultHostName, ReroutePercentage = 12.5, Name = "staging" }]));
        await web.UpdateConfigurationAsync(bed.SlotId, new SiteConfigPatch([]));
        await web.ListSlotConfigurationNamesAsync(bed.SiteId);
        await web.ApplySlotConfigToProductionAsync(bed.SiteId, new CsmSlotEntity("staging", true));
        await web.ResetProductionSlotConfigAsync(bed.SiteId);
        await web.ApplySlotConfigurationSlotAsync(bed.SlotId, new CsmSlotEntity("production", true));
        await web.ResetSlotConfigurationSlotAsync(bed.SlotId);
        await bed.DriveAsync(web.SwapSlotWithProductionAsync(WaitUntil.Completed, bed.SiteId, new CsmSlotEntity("staging", true)));
        await bed.DriveAsync(web.SwapSlotAsync(WaitUntil.Completed, bed.SlotId, new CsmSlotEntity("production", true)));
        await bed.DriveAsync(bed.Clients.Tags.UpdateAtScopeAsync(bed.SiteId, TagPatchMode.Merge, new Dictionary<string, string> { ["zdp:lease"] = "d 1 me" }));
        await bed.DriveAsync(bed.Clients.Tags.UpdateAtScopeAsync(bed.SiteId, TagPatchMode.Delete, new Dictionary<string, string> { ["zdp:lease"] = "" }));
        await bed.DriveAsync(bed.Clients.Tags.CreateOrUpdateAtScopeAsync(bed.SlotId, new Dictionary<string, string> { ["a"] = "b" }));
        await bed.Clients.Tags.GetAtScopeAsync(bed.SlotId);
        await bed.Clients.Metrics.QueryResourceAsync(bed.SlotId, ["Requests", "Http5xx", "HttpResponseTime", "Nope"], new MetricsQueryOptions
        {
            StartTime = now.AddMinutes(-5),
            EndTime = now,
            Granularity = TimeSpan.FromMinutes(1),
            Aggregations = [MetricAggregationType.Total, MetricAggregationType.Average],
            MetricNamespace = "Microsoft.Web/sites/slots",
            Filter = "Instance eq '*'",
        });
        // Error answers are checked too: a 404, a 409 and a 403.
        await Assert.ThrowsAsync<ArmRequestFailedException>(() => web.GetSlotAsync(WebAppIds.Slot(bed.SiteId, "missing")));
        await web.SwapSlotAsync(WaitUntil.Started, bed.SlotId, new CsmSlotEntity("production", true));
        await Assert.ThrowsAsync<ArmRequestFailedException>(() => web.SwapSlotAsync(WaitUntil.Started, bed.SlotId, new CsmSlotEntity("production", true)));
        var reader = bed.Emulator.AddServicePrincipal(EmulatedRole.Reader, AzureTestBed.SubscriptionScope);
        await Assert.ThrowsAsync<ArmRequestFailedException>(() => bed.ClientsFor(reader).WebApps.ResetSlotConfigurationSlotAsync(bed.SlotId));

        var served = bed.ArmRequests.Where(r => r.OperationId is not null and not "Poll").Select(r => r.OperationId!).ToHashSet();
        Assert.Empty(bed.Emulator.Violations);
        Assert.Empty(bed.Emulator.ResponseViolations);
        Assert.Superset(ArmOperationCatalog.All.Select(o => o.OperationId).ToHashSet(), served);
        Assert.Subset(served, ArmOperationCatalog.All.Select(o => o.OperationId).ToHashSet());
    }

    [Fact]
    public async Task A_swap_without_preserveVnet_is_caught_by_the_check_and_refused_like_ARM_would()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = await AuthorizedClientAsync(bed);

        var response = await http.PostAsync(
            $"{bed.SlotId}/slotsswap?api-version=2025-03-01", new StringContent("{\"targetSlot\":\"production\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("InvalidRequestContent", await response.Content.ReadAsStringAsync());
        var violation = Assert.Single(bed.Emulator.Violations);
        Assert.Equal("WebApps_SwapSlotSlot", violation.OperationId);
        Assert.Contains("required member 'preserveVnet' of CsmSlotEntity is missing", violation.Problem);
        Assert.Empty(bed.App.Swaps);
    }

    [Theory]
    [InlineData("GET", "{site}?api-version=2024-04-01", null, "api-version 2024-04-01 is not the described 2025-03-01")]
    [InlineData("GET", "{site}", null, "api-version is missing")]
    [InlineData("POST", "{site}/slotsSwap?api-version=2025-03-01&force=true", "{\"targetSlot\":\"staging\",\"preserveVnet\":true}", "query parameter 'force' is not described")]
    [InlineData("PATCH", "{site}/config/web?api-version=2025-03-01", "{\"id\":\"x\",\"properties\":{}}", "body.id: is read-only in SiteConfigResource")]
    [InlineData("PATCH", "{site}/config/web?api-version=2025-03-01", "{\"properties\":{\"experiments\":{\"rampUpRules\":[{\"reroutePercentage\":\"10\"}]}}}", "reroutePercentage: expected a number")]
    [InlineData("PATCH", "{site}?api-version=2025-03-01", "{\"tags\":{\"zdp:lease\":\"x\"}}", "body.tags: is not a member of SitePatchResource")]
    [InlineData("DELETE", "{site}/slotsswap?api-version=2025-03-01", null, "the path is described for POST, not DELETE")]
    [InlineData("POST", "{site}/resetSlotConfig?api-version=2025-03-01", "{\"targetSlot\":\"staging\"}", "the operation takes no body")]
    public async Task The_check_names_what_is_wrong_with_a_request(string method, string target, string? body, string problem)
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = await AuthorizedClientAsync(bed);
        using var request = new HttpRequestMessage(new HttpMethod(method), target.Replace("{site}", bed.SiteId.ToString(), StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request);

        Assert.Contains(bed.Emulator.Violations, v => v.Problem.Contains(problem, StringComparison.Ordinal));
        Assert.False(response.IsSuccessStatusCode && problem.StartsWith("api-version", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_without_a_valid_bearer_token_get_ARMs_401()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = new HttpClient(bed.Emulator.CreateHttpHandler()) { BaseAddress = bed.Emulator.Endpoint };

        var none = await http.GetAsync($"{bed.SiteId}?api-version=2025-03-01");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
        var forged = await http.GetAsync($"{bed.SiteId}?api-version=2025-03-01");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("AuthenticationFailed", await none.Content.ReadAsStringAsync());
        Assert.NotNull(none.Headers.WwwAuthenticate.SingleOrDefault());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("InvalidAuthenticationToken", await forged.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_action_the_emulator_authorizes_is_the_one_each_client_operation_declares()
    {
        var catalog = await SwaggerCatalog.LoadSharedAsync();

        foreach (var operation in ArmOperationCatalog.All)
        {
            var described = catalog.Operation(operation.OperationId);
            Assert.Equal((operation.OperationId, operation.ApiVersion), (described.OperationId, described.ApiVersion));
            Assert.Equal(operation.Action, ArmActions.Action(described));
        }
    }

    [Fact]
    public async Task Long_running_operations_in_the_description_are_the_ones_the_clients_poll()
    {
        var catalog = await SwaggerCatalog.LoadSharedAsync();

        var longRunning = ArmOperationCatalog.All.Where(o => catalog.Operation(o.OperationId).IsLongRunning).Select(o => o.OperationId);

        Assert.Equal(["WebApps_SwapSlotWithProduction", "WebApps_SwapSlotSlot", "Tags_UpdateAtScope", "Tags_CreateOrUpdateAtScope"], longRunning);
    }

    private static async Task<HttpClient> AuthorizedClientAsync(AzureTestBed bed)
    {
        var credential = AzureCredentialSource.Create(bed.SecretCredential(bed.Principal)).Credential;
        var token = await credential.GetTokenAsync(new TokenRequestContext([bed.ClientOptions().TokenScope]), CancellationToken.None);
        var http = new HttpClient(bed.Emulator.CreateHttpHandler()) { BaseAddress = bed.Emulator.Endpoint };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return http;
    }
}
