namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// One ARM operation zdp calls: its <c>operationId</c> in the official Swagger, the api-version of the file it is from,
/// and the RBAC action ARM checks for it (what a least-privilege role must grant, and what a 403 names).
/// </summary>
/// <param name="OperationId">The Swagger <c>operationId</c>, e.g. <c>WebApps_SwapSlotSlot</c>.</param>
/// <param name="ApiVersion">The <c>api-version</c> of the description the request was checked against.</param>
/// <param name="Action">
/// The RBAC action: provider namespace, the resource types of the path, then <c>read</c> (GET), <c>write</c> (PUT/PATCH),
/// <c>delete</c> or <c>{name}/action</c> (POST), as ARM names them in activity logs and role definitions
/// (e.g. <c>Microsoft.Web/sites/slots/slotsswap/action</c>).
/// </param>
internal sealed record ArmOperationInfo(string OperationId, string ApiVersion, string Action);

/// <summary>Every ARM operation the clients call, so docs and a role definition can be checked against the code.</summary>
internal static class ArmOperationCatalog
{
    /// <summary>
    /// Microsoft.Web, from <c>specification/web/resource-manager/Microsoft.Web/AppService/stable/2025-03-01/WebApps.json</c>
    /// (the newest stable version that still ships as Swagger with examples; see docs/azure-emulator.md).
    /// </summary>
    public const string WebAppsApiVersion = "2025-03-01";

    /// <summary>Microsoft.Insights metrics, from <c>specification/monitor/resource-manager/Microsoft.Insights/stable/2024-02-01/metrics_API.json</c>.</summary>
    public const string MetricsApiVersion = "2024-02-01";

    /// <summary>Microsoft.Resources tags, from <c>specification/resources/resource-manager/Microsoft.Resources/resources/stable/2025-04-01/resources.json</c>.</summary>
    public const string TagsApiVersion = "2025-04-01";

    public static readonly ArmOperationInfo GetSite = new("WebApps_Get", WebAppsApiVersion, "Microsoft.Web/sites/read");
    public static readonly ArmOperationInfo GetSlot = new("WebApps_GetSlot", WebAppsApiVersion, "Microsoft.Web/sites/slots/read");

    public static readonly ArmOperationInfo SwapSlotWithProduction = new("WebApps_SwapSlotWithProduction", WebAppsApiVersion, "Microsoft.Web/sites/slotsswap/action");
    public static readonly ArmOperationInfo SwapSlotSlot = new("WebApps_SwapSlotSlot", WebAppsApiVersion, "Microsoft.Web/sites/slots/slotsswap/action");

    public static readonly ArmOperationInfo ApplySlotConfigToProduction =
        new("WebApps_ApplySlotConfigToProduction", WebAppsApiVersion, "Microsoft.Web/sites/applySlotConfig/action");

    public static readonly ArmOperationInfo ApplySlotConfigurationSlot =
        new("WebApps_ApplySlotConfigurationSlot", WebAppsApiVersion, "Microsoft.Web/sites/slots/applySlotConfig/action");

    public static readonly ArmOperationInfo ResetProductionSlotConfig =
        new("WebApps_ResetProductionSlotConfig", WebAppsApiVersion, "Microsoft.Web/sites/resetSlotConfig/action");

    public static readonly ArmOperationInfo ResetSlotConfigurationSlot =
        new("WebApps_ResetSlotConfigurationSlot", WebAppsApiVersion, "Microsoft.Web/sites/slots/resetSlotConfig/action");

    public static readonly ArmOperationInfo GetConfiguration = new("WebApps_GetConfiguration", WebAppsApiVersion, "Microsoft.Web/sites/config/read");
    public static readonly ArmOperationInfo GetConfigurationSlot = new("WebApps_GetConfigurationSlot", WebAppsApiVersion, "Microsoft.Web/sites/slots/config/read");
    public static readonly ArmOperationInfo UpdateConfiguration = new("WebApps_UpdateConfiguration", WebAppsApiVersion, "Microsoft.Web/sites/config/write");
    public static readonly ArmOperationInfo UpdateConfigurationSlot = new("WebApps_UpdateConfigurationSlot", WebAppsApiVersion, "Microsoft.Web/sites/slots/config/write");

    public static readonly ArmOperationInfo ListSlotConfigurationNames =
        new("WebApps_ListSlotConfigurationNames", WebAppsApiVersion, "Microsoft.Web/sites/config/read");

    public static readonly ArmOperationInfo GetTagsAtScope = new("Tags_GetAtScope", TagsApiVersion, "Microsoft.Resources/tags/read");
    public static readonly ArmOperationInfo UpdateTagsAtScope = new("Tags_UpdateAtScope", TagsApiVersion, "Microsoft.Resources/tags/write");
    public static readonly ArmOperationInfo CreateOrUpdateTagsAtScope = new("Tags_CreateOrUpdateAtScope", TagsApiVersion, "Microsoft.Resources/tags/write");

    public static readonly ArmOperationInfo ListMetrics = new("Metrics_List", MetricsApiVersion, "Microsoft.Insights/metrics/read");

    /// <summary>All of the above.</summary>
    public static readonly IReadOnlyList<ArmOperationInfo> All =
    [
        GetSite, GetSlot, SwapSlotWithProduction, SwapSlotSlot, ApplySlotConfigToProduction, ApplySlotConfigurationSlot,
        ResetProductionSlotConfig, ResetSlotConfigurationSlot, GetConfiguration, GetConfigurationSlot, UpdateConfiguration,
        UpdateConfigurationSlot, ListSlotConfigurationNames, GetTagsAtScope, UpdateTagsAtScope, CreateOrUpdateTagsAtScope, ListMetrics,
    ];
}
