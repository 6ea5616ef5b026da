using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// The members of a site or slot (CommonDefinitions.json <c>Site</c>) zdp reads. Named as in Azure.ResourceManager.AppService's
/// <c>WebSiteData</c>. Host names are always ARM's: App Service truncates names and may append random characters, so a host
/// name built from the app and slot names can be wrong.
/// </summary>
internal sealed record WebSiteData
{
    public required ResourceIdentifier Id { get; init; }

    /// <summary><c>name</c>: the app name for a site, <c>app/slot</c> for a slot.</summary>
    public required string Name { get; init; }

    public string? Kind { get; init; }

    public string? Location { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary><c>properties.state</c>, e.g. <c>Running</c> or <c>Stopped</c>.</summary>
    public string? State { get; init; }

    public bool? IsEnabled { get; init; }

    /// <summary><c>properties.availabilityState</c>: <c>Normal</c>, <c>Limited</c> or <c>DisasterRecoveryMode</c>.</summary>
    public string? AvailabilityState { get; init; }

    public string? UsageState { get; init; }

    public IReadOnlyList<string> HostNames { get; init; } = [];

    public IReadOnlyList<string> EnabledHostNames { get; init; } = [];

    /// <summary><c>properties.defaultHostName</c>: the host name to send this slot's traffic and probes to.</summary>
    public string? DefaultHostName { get; init; }

    /// <summary><c>properties.targetSwapSlot</c>: set while a swap with preview from this slot is pending.</summary>
    public string? TargetSwapSlot { get; init; }

    /// <summary><c>properties.slotSwapStatus</c>: the last successful swap.</summary>
    public SlotSwapStatus? SlotSwapStatus { get; init; }

    public bool IsRunning => string.Equals(State, "Running", StringComparison.OrdinalIgnoreCase);

    internal static WebSiteData FromJson(JsonElement json) => new()
    {
        Id = new ResourceIdentifier(ArmJson.String(json, "id") ?? throw new JsonException("the site has no 'id'")),
        Name = ArmJson.String(json, "name") ?? throw new JsonException("the site has no 'name'"),
        Kind = ArmJson.String(json, "kind"),
        Location = ArmJson.String(json, "location"),
        Tags = ArmJson.StringMap(json, "tags"),
        State = ArmJson.String(json, "properties.state"),
        IsEnabled = ArmJson.Bool(json, "properties.enabled"),
        AvailabilityState = ArmJson.String(json, "properties.availabilityState"),
        UsageState = ArmJson.String(json, "properties.usageState"),
        HostNames = ArmJson.Strings(json, "properties.hostNames"),
        EnabledHostNames = ArmJson.Strings(json, "properties.enabledHostNames"),
        DefaultHostName = ArmJson.String(json, "properties.defaultHostName"),
        TargetSwapSlot = ArmJson.String(json, "properties.targetSwapSlot"),
        SlotSwapStatus = ArmJson.Member(json, "properties.slotSwapStatus") is { ValueKind: JsonValueKind.Object } s
            ? new SlotSwapStatus(ArmJson.Time(s, "timestampUtc"), ArmJson.String(s, "sourceSlotName"), ArmJson.String(s, "destinationSlotName"))
            : null,
    };
}

/// <summary>CommonDefinitions.json <c>SlotSwapStatus</c>: the last successful swap of a slot.</summary>
internal sealed record SlotSwapStatus(DateTimeOffset? TimestampUtc, string? SourceSlotName, string? DestinationSlotName);

/// <summary>
/// WebApps.json <c>CsmSlotEntity</c>, the body of slotsswap and applySlotConfig; both members are required.
/// "production" names the production slot (Azure CLI and PowerShell use it so).
/// </summary>
internal sealed record CsmSlotEntity(string TargetSlot, bool PreserveVnet)
{
    /// <summary>The name that stands for the production slot in <see cref="TargetSlot"/>.</summary>
    public const string ProductionSlotName = "production";

    internal BinaryData ToBody() => BinaryData.FromString(new JsonObject
    {
        ["targetSlot"] = TargetSlot,
        ["preserveVnet"] = PreserveVnet,
    }.ToJsonString());
}

/// <summary>
/// The members of <c>config/web</c> (WebApps.json <c>SiteConfigResource</c>, properties CommonDefinitions.json <c>SiteConfig</c>)
/// zdp reads. Named as in Azure.ResourceManager.AppService's <c>SiteConfigData</c>.
/// </summary>
internal sealed record SiteConfigData
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary><c>properties.experiments.rampUpRules</c>: the production traffic routed to other slots.</summary>
    public IReadOnlyList<RampUpRule> RampUpRules { get; init; } = [];

    /// <summary><c>properties.healthCheckPath</c>: App Service's own health check, when configured.</summary>
    public string? HealthCheckPath { get; init; }

    public bool? IsAlwaysOn { get; init; }

    public int? NumberOfWorkers { get; init; }

    /// <summary><c>properties.autoSwapSlotName</c>: a slot that auto-swaps into this one after every deployment.</summary>
    public string? AutoSwapSlotName { get; init; }

    internal static SiteConfigData FromJson(JsonElement json) => new()
    {
        Id = ArmJson.String(json, "id"),
        Name = ArmJson.String(json, "name"),
        RampUpRules = ArmJson.Objects(json, "properties.experiments.rampUpRules").Select(RampUpRule.FromJson).ToList(),
        HealthCheckPath = ArmJson.String(json, "properties.healthCheckPath"),
        IsAlwaysOn = ArmJson.Bool(json, "properties.alwaysOn"),
        NumberOfWorkers = ArmJson.Int(json, "properties.numberOfWorkers"),
        AutoSwapSlotName = ArmJson.String(json, "properties.autoSwapSlotName"),
    };
}

/// <summary>
/// CommonDefinitions.json <c>RampUpRule</c>: <see cref="ReroutePercentage"/> of production traffic goes to
/// <see cref="ActionHostName"/>. The auto-ramp members (change step, interval, bounds, callback) are read and written back
/// untouched; zdp steps percentages itself.
/// </summary>
internal sealed record RampUpRule
{
    /// <summary>The host name of the slot that receives the traffic, e.g. <c>myapp-staging.azurewebsites.net</c> (from GET slot).</summary>
    public string? ActionHostName { get; init; }

    public double? ReroutePercentage { get; init; }

    public double? ChangeStep { get; init; }

    public int? ChangeIntervalInMinutes { get; init; }

    public double? MinReroutePercentage { get; init; }

    public double? MaxReroutePercentage { get; init; }

    public string? ChangeDecisionCallbackUrl { get; init; }

    /// <summary>The rule's name; the description recommends the slot's name.</summary>
    public string? Name { get; init; }

    internal static RampUpRule FromJson(JsonElement json) => new()
    {
        ActionHostName = ArmJson.String(json, "actionHostName"),
        ReroutePercentage = ArmJson.Double(json, "reroutePercentage"),
        ChangeStep = ArmJson.Double(json, "changeStep"),
        ChangeIntervalInMinutes = ArmJson.Int(json, "changeIntervalInMinutes"),
        MinReroutePercentage = ArmJson.Double(json, "minReroutePercentage"),
        MaxReroutePercentage = ArmJson.Double(json, "maxReroutePercentage"),
        ChangeDecisionCallbackUrl = ArmJson.String(json, "changeDecisionCallbackUrl"),
        Name = ArmJson.String(json, "name"),
    };

    internal JsonObject ToJson()
    {
        var json = new JsonObject();
        Add(json, "actionHostName", ActionHostName);
        Add(json, "reroutePercentage", ReroutePercentage);
        Add(json, "changeStep", ChangeStep);
        Add(json, "changeIntervalInMinutes", ChangeIntervalInMinutes);
        Add(json, "minReroutePercentage", MinReroutePercentage);
        Add(json, "maxReroutePercentage", MaxReroutePercentage);
        Add(json, "changeDecisionCallbackUrl", ChangeDecisionCallbackUrl);
        Add(json, "name", Name);
        return json;
    }

    private static void Add<T>(JsonObject json, string name, T? value)
    {
        if (value is not null)
        {
            json[name] = JsonValue.Create(value);
        }
    }
}

/// <summary>
/// What zdp changes in <c>config/web</c>: only the ramp-up rules, sent as <c>{"properties":{"experiments":{"rampUpRules":[…]}}}</c>
/// so that a PATCH leaves every other setting alone. The list replaces the current one (as the Azure CLI's
/// <c>set_traffic_routing</c> does); an empty list removes all routing to slots.
/// </summary>
internal sealed record SiteConfigPatch(IReadOnlyList<RampUpRule> RampUpRules)
{
    internal BinaryData ToBody() => BinaryData.FromString(new JsonObject
    {
        ["properties"] = new JsonObject
        {
            ["experiments"] = new JsonObject { ["rampUpRules"] = new JsonArray([.. RampUpRules.Select(r => (JsonNode)r.ToJson())]) },
        },
    }.ToJsonString());
}

/// <summary>
/// WebApps.json <c>SlotConfigNames</c>: the app settings, connection strings and storage mounts that stay with their slot in a
/// swap ("sticky"), and so are not tested by a gate on the slot before the swap.
/// </summary>
internal sealed record SlotConfigNames(IReadOnlyList<string> AppSettingNames, IReadOnlyList<string> ConnectionStringNames, IReadOnlyList<string> AzureStorageConfigNames)
{
    internal static SlotConfigNames FromJson(JsonElement json) => new(
        ArmJson.Strings(json, "properties.appSettingNames"),
        ArmJson.Strings(json, "properties.connectionStringNames"),
        ArmJson.Strings(json, "properties.azureStorageConfigNames"));
}
