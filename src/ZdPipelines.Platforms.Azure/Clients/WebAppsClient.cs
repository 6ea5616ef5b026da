using System.Text.Json;
using Azure;
using Azure.Core;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// The App Service (Microsoft.Web) operations zdp uses, api-version <see cref="ArmOperationCatalog.WebAppsApiVersion"/>, from
/// WebApps.json. Each method names the Swagger operation and the Azure.ResourceManager.AppService method it mirrors, so the
/// official package can replace this class.
/// </summary>
internal sealed class WebAppsClient(ArmPipeline arm)
{
    private const string ApiVersion = ArmOperationCatalog.WebAppsApiVersion;

    public ArmCallCounter Counter => arm.Counter;

    /// <summary><c>WebApps_Get</c>: GET …/sites/{name}. Mirrors <c>WebSiteResource.GetAsync</c>.</summary>
    public Task<WebSiteData> GetSiteAsync(ResourceIdentifier siteId, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSite(siteId, nameof(siteId));
        return GetAsync(siteId, "", ArmOperationCatalog.GetSite, WebSiteData.FromJson, cancellationToken);
    }

    /// <summary><c>WebApps_GetSlot</c>: GET …/sites/{name}/slots/{slot}. Mirrors <c>WebSiteSlotResource.GetAsync</c>.</summary>
    public Task<WebSiteData> GetSlotAsync(ResourceIdentifier slotId, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSlot(slotId, nameof(slotId));
        return GetAsync(slotId, "", ArmOperationCatalog.GetSlot, WebSiteData.FromJson, cancellationToken);
    }

    /// <summary>
    /// <c>WebApps_SwapSlotWithProduction</c>: POST …/sites/{name}/slotsswap, swapping production with
    /// <see cref="CsmSlotEntity.TargetSlot"/>. Long-running. Mirrors <c>WebSiteResource.SwapSlotWithProductionAsync</c>.
    /// </summary>
    public Task<ArmOperation> SwapSlotWithProductionAsync(WaitUntil waitUntil, ResourceIdentifier siteId, CsmSlotEntity slotSwapEntity, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSite(siteId, nameof(siteId));
        ArgumentNullException.ThrowIfNull(slotSwapEntity);
        return ArmOperation.StartAsync(
            arm, waitUntil, RequestMethod.Post, Uri(siteId, "/slotsswap"), slotSwapEntity.ToBody(), ArmOperationCatalog.SwapSlotWithProduction, siteId, cancellationToken);
    }

    /// <summary>
    /// <c>WebApps_SwapSlotSlot</c>: POST …/slots/{slot}/slotsswap, swapping the slot with <see cref="CsmSlotEntity.TargetSlot"/>
    /// (<c>production</c> or another slot). Long-running. Mirrors <c>WebSiteSlotResource.SwapSlotAsync</c>.
    /// </summary>
    public Task<ArmOperation> SwapSlotAsync(WaitUntil waitUntil, ResourceIdentifier slotId, CsmSlotEntity slotSwapEntity, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSlot(slotId, nameof(slotId));
        ArgumentNullException.ThrowIfNull(slotSwapEntity);
        return ArmOperation.StartAsync(
            arm, waitUntil, RequestMethod.Post, Uri(slotId, "/slotsswap"), slotSwapEntity.ToBody(), ArmOperationCatalog.SwapSlotSlot, slotId, cancellationToken);
    }

    /// <summary>
    /// <c>WebApps_ApplySlotConfigToProduction</c>: POST …/sites/{name}/applySlotConfig, the first phase of a swap with preview
    /// between production and <see cref="CsmSlotEntity.TargetSlot"/>: the slot restarts with production's settings. 200, no body.
    /// Mirrors <c>WebSiteResource.ApplySlotConfigToProductionAsync</c>.
    /// </summary>
    public Task ApplySlotConfigToProductionAsync(ResourceIdentifier siteId, CsmSlotEntity slotSwapEntity, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSite(siteId, nameof(siteId));
        ArgumentNullException.ThrowIfNull(slotSwapEntity);
        return arm.SendAsync(RequestMethod.Post, Uri(siteId, "/applySlotConfig"), slotSwapEntity.ToBody(), ArmOperationCatalog.ApplySlotConfigToProduction, siteId, cancellationToken);
    }

    /// <summary>
    /// <c>WebApps_ApplySlotConfigurationSlot</c>: POST …/slots/{slot}/applySlotConfig ("applies the configuration settings from the
    /// target slot onto the current slot"). Mirrors <c>WebSiteSlotResource.ApplySlotConfigurationSlotAsync</c>.
    /// </summary>
    public Task ApplySlotConfigurationSlotAsync(ResourceIdentifier slotId, CsmSlotEntity slotSwapEntity, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSlot(slotId, nameof(slotId));
        ArgumentNullException.ThrowIfNull(slotSwapEntity);
        return arm.SendAsync(RequestMethod.Post, Uri(slotId, "/applySlotConfig"), slotSwapEntity.ToBody(), ArmOperationCatalog.ApplySlotConfigurationSlot, slotId, cancellationToken);
    }

    /// <summary>
    /// <c>WebApps_ResetProductionSlotConfig</c>: POST …/sites/{name}/resetSlotConfig, cancelling a swap with preview. No body.
    /// Mirrors <c>WebSiteResource.ResetProductionSlotConfigAsync</c>.
    /// </summary>
    public Task ResetProductionSlotConfigAsync(ResourceIdentifier siteId, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSite(siteId, nameof(siteId));
        return arm.SendAsync(RequestMethod.Post, Uri(siteId, "/resetSlotConfig"), null, ArmOperationCatalog.ResetProductionSlotConfig, siteId, cancellationToken);
    }

    /// <summary>
    /// <c>WebApps_ResetSlotConfigurationSlot</c>: POST …/slots/{slot}/resetSlotConfig. No body.
    /// Mirrors <c>WebSiteSlotResource.ResetSlotConfigurationSlotAsync</c>.
    /// </summary>
    public Task ResetSlotConfigurationSlotAsync(ResourceIdentifier slotId, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSlot(slotId, nameof(slotId));
        return arm.SendAsync(RequestMethod.Post, Uri(slotId, "/resetSlotConfig"), null, ArmOperationCatalog.ResetSlotConfigurationSlot, slotId, cancellationToken);
    }

    /// <summary>
    /// <c>WebApps_GetConfiguration</c> / <c>WebApps_GetConfigurationSlot</c>: GET …/config/web of a site or slot.
    /// Mirrors <c>WebSiteConfigResource.GetAsync</c> / <c>WebSiteSlotConfigResource.GetAsync</c>.
    /// </summary>
    public Task<SiteConfigData> GetConfigurationAsync(ResourceIdentifier siteOrSlotId, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSiteOrSlot(siteOrSlotId, nameof(siteOrSlotId));
        var operation = WebAppIds.IsSlot(siteOrSlotId) ? ArmOperationCatalog.GetConfigurationSlot : ArmOperationCatalog.GetConfiguration;
        return GetAsync(siteOrSlotId, "/config/web", operation, SiteConfigData.FromJson, cancellationToken);
    }

    /// <summary>
    /// <c>WebApps_UpdateConfiguration</c> / <c>WebApps_UpdateConfigurationSlot</c>: PATCH …/config/web with only the ramp-up rules,
    /// returning the configuration after the change. Mirrors <c>WebSiteConfigResource.UpdateAsync</c> / <c>WebSiteSlotConfigResource.UpdateAsync</c>.
    /// </summary>
    public async Task<SiteConfigData> UpdateConfigurationAsync(ResourceIdentifier siteOrSlotId, SiteConfigPatch patch, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSiteOrSlot(siteOrSlotId, nameof(siteOrSlotId));
        ArgumentNullException.ThrowIfNull(patch);
        foreach (var rule in patch.RampUpRules)
        {
            if (rule.ReroutePercentage is < 0 or > 100)
            {
                throw new ArgumentException($"reroutePercentage {rule.ReroutePercentage} of rule '{rule.Name}' is outside 0-100.", nameof(patch));
            }

            if (string.IsNullOrWhiteSpace(rule.ActionHostName))
            {
                throw new ArgumentException($"rule '{rule.Name}' has no actionHostName: use the slot's defaultHostName from GET slot.", nameof(patch));
            }
        }

        var operation = WebAppIds.IsSlot(siteOrSlotId) ? ArmOperationCatalog.UpdateConfigurationSlot : ArmOperationCatalog.UpdateConfiguration;
        var answer = await arm.SendAsync(RequestMethod.Patch, Uri(siteOrSlotId, "/config/web"), patch.ToBody(), operation, siteOrSlotId, cancellationToken);
        return Read(answer, operation, siteOrSlotId, SiteConfigData.FromJson);
    }

    /// <summary>
    /// <c>WebApps_ListSlotConfigurationNames</c>: GET …/sites/{name}/config/slotConfigNames (the sticky settings, shared by all slots).
    /// Mirrors <c>SlotConfigNamesResource.GetAsync</c>.
    /// </summary>
    public Task<SlotConfigNames> ListSlotConfigurationNamesAsync(ResourceIdentifier siteId, CancellationToken cancellationToken = default)
    {
        WebAppIds.RequireSite(siteId, nameof(siteId));
        return GetAsync(siteId, "/config/slotConfigNames", ArmOperationCatalog.ListSlotConfigurationNames, SlotConfigNames.FromJson, cancellationToken);
    }

    private Uri Uri(ResourceIdentifier id, string suffix) => arm.BuildUri(id + suffix, ApiVersion);

    private async Task<T> GetAsync<T>(ResourceIdentifier id, string suffix, ArmOperationInfo operation, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var answer = await arm.SendAsync(RequestMethod.Get, Uri(id, suffix), null, operation, id, cancellationToken);
        return Read(answer, operation, id, read);
    }

    private static T Read<T>(ArmResponse answer, ArmOperationInfo operation, ResourceIdentifier id, Func<JsonElement, T> read)
    {
        var json = answer.Json(operation, id);
        try
        {
            return read(json);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            throw new ArmRequestFailedException(answer.Status, ArmRequestFailedException.InvalidResponseCode, e.Message, operation, id.ToString(), answer.RequestId, e);
        }
    }
}
