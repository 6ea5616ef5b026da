using System.Globalization;
using Azure.Core;
using ZdPipelines.Platforms.Azure.Clients;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// Reads <see cref="AppServiceState"/> with five ARM reads made at once: GET site, GET slot, production's and the slot's
/// config/web, and config/slotConfigNames. Reads only, so `zdp plan` can use it with a Reader role.
/// </summary>
internal sealed class AppServiceStateReader(WebAppsClient webApps)
{
    public async Task<AppServiceState> ReadAsync(ResourceIdentifier siteId, string slotName, CancellationToken cancellationToken)
    {
        WebAppIds.RequireSite(siteId, nameof(siteId));
        ArgumentException.ThrowIfNullOrWhiteSpace(slotName);
        if (string.Equals(slotName, CsmSlotEntity.ProductionSlotName, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("the deployment slot must be another slot than production: name the staging slot zdp swaps with.", nameof(slotName));
        }

        var slotId = WebAppIds.Slot(siteId, slotName);
        var site = webApps.GetSiteAsync(siteId, cancellationToken);
        var slot = webApps.GetSlotAsync(slotId, cancellationToken);
        var siteConfig = webApps.GetConfigurationAsync(siteId, cancellationToken);
        var slotConfig = webApps.GetConfigurationAsync(slotId, cancellationToken);
        var sticky = webApps.ListSlotConfigurationNamesAsync(siteId, cancellationToken);
        await Task.WhenAll(site, slot, siteConfig, slotConfig, sticky);

        var production = View(CsmSlotEntity.ProductionSlotName, await site, await siteConfig);
        var deployment = View(slotName, await slot, await slotConfig);
        var rules = (await siteConfig).RampUpRules;
        var names = await sticky;
        (string, string)? preview = (await slot).TargetSwapSlot is { } target ? (slotName, target)
            : (await site).TargetSwapSlot is { } back ? (CsmSlotEntity.ProductionSlotName, back) : null;
        return new AppServiceState
        {
            SiteId = siteId,
            Production = production,
            Slot = deployment,
            RampUpRules = rules,
            PendingPreview = preview,
            StickySettings = names,
            Warnings = Warnings(production, deployment, rules, preview, names),
        };
    }

    private static SlotState View(string name, WebSiteData data, SiteConfigData config) => new(
        name,
        data.Id,
        data.DefaultHostName ?? throw new ArmRequestFailedException(
            200, ArmRequestFailedException.InvalidResponseCode, $"ARM reported no defaultHostName for slot '{name}'", ArmOperationCatalog.GetSlot, data.Id.ToString(), null),
        data.State,
        data.SlotSwapStatus,
        config.AutoSwapSlotName);

    private static List<string> Warnings(SlotState production, SlotState slot, IReadOnlyList<RampUpRule> rules, (string Source, string Target)? preview, SlotConfigNames sticky)
    {
        var warnings = new List<string>();
        if (!slot.IsRunning)
        {
            warnings.Add($"slot '{slot.Name}' is {slot.State ?? "in an unknown state"}, not Running: a swap would warm up nothing. Start it first.");
        }

        if (!production.IsRunning)
        {
            warnings.Add($"production is {production.State ?? "in an unknown state"}, not Running.");
        }

        if (preview is { } p)
        {
            warnings.Add($"a swap with preview of '{p.Source}' into '{p.Target}' is pending (applySlotConfig without swap or reset): it blocks other swaps until completed or reset.");
        }

        if (slot.AutoSwapSlotName is { Length: > 0 } auto)
        {
            warnings.Add($"slot '{slot.Name}' auto-swaps into '{auto}' after each deployment to it: App Service would swap before zdp's gates run. Turn auto swap off for zdp to gate the swap.");
        }

        foreach (var rule in rules.Where(r => r.ChangeStep is > 0 || r.ChangeIntervalInMinutes is > 0 || r.ChangeDecisionCallbackUrl is not null))
        {
            warnings.Add($"routing rule '{rule.Name}' to {rule.ActionHostName} ramps up by itself (changeStep/changeIntervalInMinutes): App Service will change its percentage, not zdp.");
        }

        foreach (var rule in rules.Where(r => !SlotRouting.SameHost(r.ActionHostName, slot.HostName) && (r.ReroutePercentage ?? 0) > 0))
        {
            warnings.Add($"routing rule '{rule.Name}' sends {(rule.ReroutePercentage ?? 0).ToString(CultureInfo.InvariantCulture)} % of production traffic to {rule.ActionHostName}, not to slot '{slot.Name}'; zdp leaves it as it is.");
        }

        var stuck = sticky.AppSettingNames.Concat(sticky.ConnectionStringNames).Concat(sticky.AzureStorageConfigNames).ToList();
        if (stuck.Count > 0)
        {
            warnings.Add($"{stuck.Count} sticky setting(s) ({string.Join(", ", stuck)}) stay with their slot in a swap: gates on slot '{slot.Name}' before the swap do not see production's values (swap with preview does).");
        }

        return warnings;
    }
}
