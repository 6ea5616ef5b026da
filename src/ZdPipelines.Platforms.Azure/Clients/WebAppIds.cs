using Azure.Core;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// Resource ids of web apps and their slots, as Azure.ResourceManager.AppService's <c>WebSiteResource.CreateResourceIdentifier</c>
/// and <c>WebSiteSlotResource.CreateResourceIdentifier</c> build them.
/// </summary>
internal static class WebAppIds
{
    public static readonly ResourceType SiteType = new("Microsoft.Web/sites");

    public static readonly ResourceType SlotType = new("Microsoft.Web/sites/slots");

    public static ResourceIdentifier Site(string subscriptionId, string resourceGroupName, string name) =>
        new($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Web/sites/{name}");

    public static ResourceIdentifier Slot(string subscriptionId, string resourceGroupName, string name, string slot) =>
        Site(subscriptionId, resourceGroupName, name).AppendChildResource("slots", slot);

    public static ResourceIdentifier Slot(ResourceIdentifier site, string slot)
    {
        RequireSite(site);
        return site.AppendChildResource("slots", slot);
    }

    public static bool IsSlot(ResourceIdentifier id) => id.ResourceType == SlotType;

    public static void RequireSite(ResourceIdentifier id, string? parameter = null)
    {
        if (id.ResourceType != SiteType)
        {
            throw new ArgumentException($"'{id}' is not a web app (Microsoft.Web/sites) resource id.", parameter ?? nameof(id));
        }
    }

    public static void RequireSlot(ResourceIdentifier id, string? parameter = null)
    {
        if (id.ResourceType != SlotType)
        {
            throw new ArgumentException($"'{id}' is not a deployment slot (Microsoft.Web/sites/slots) resource id.", parameter ?? nameof(id));
        }
    }

    /// <summary>A site or a slot; anything else is a caller's mistake.</summary>
    public static void RequireSiteOrSlot(ResourceIdentifier id, string? parameter = null)
    {
        if (id.ResourceType != SiteType && id.ResourceType != SlotType)
        {
            throw new ArgumentException($"'{id}' is neither a web app nor a deployment slot resource id.", parameter ?? nameof(id));
        }
    }
}
