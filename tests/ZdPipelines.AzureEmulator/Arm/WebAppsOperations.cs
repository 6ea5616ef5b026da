using System.Globalization;
using System.Text.Json.Nodes;
using ZdPipelines.AzureEmulator.State;
using ZdPipelines.AzureEmulator.Swagger;

namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>
/// The Microsoft.Web operations of WebApps.json (2025-03-01) the emulator serves: GET site and slot, slotsswap (long-running),
/// applySlotConfig and resetSlotConfig (swap with preview), config/web GET and PATCH, and config/slotConfigNames.
/// </summary>
internal sealed class WebAppsOperations(ArmState state, ArmEmulatorOptions options, SwaggerCatalog catalog)
{
    public static readonly IReadOnlySet<string> Served = new HashSet<string>(StringComparer.Ordinal)
    {
        "WebApps_Get", "WebApps_GetSlot", "WebApps_SwapSlotWithProduction", "WebApps_SwapSlotSlot", "WebApps_ApplySlotConfigToProduction",
        "WebApps_ApplySlotConfigurationSlot", "WebApps_ResetProductionSlotConfig", "WebApps_ResetSlotConfigurationSlot", "WebApps_GetConfiguration",
        "WebApps_GetConfigurationSlot", "WebApps_UpdateConfiguration", "WebApps_UpdateConfigurationSlot", "WebApps_ListSlotConfigurationNames",
    };

    /// <summary>The path of the status resource a swap's <c>Azure-AsyncOperation</c> points to (the form UpdateWebApp.json's 202 shows).</summary>
    public const string StatusSegment = "operationResults";

    /// <summary>The path a swap's <c>Location</c> points to; App Service's own form is not in the description, so this one is the emulator's.</summary>
    public const string LocationSegment = "operationLocations";

    public ArmAnswer Handle(ArmRequest request)
    {
        lock (state.Gate)
        {
            var app = state.FindApp(request.PathValue("subscriptionId")!, request.PathValue("resourceGroupName")!, request.PathValue("name")!);
            if (app is null)
            {
                return NotFound($"Microsoft.Web/sites/{request.PathValue("name")}", request.PathValue("resourceGroupName")!);
            }

            var slotName = request.PathValue("slot");
            var slot = slotName is null ? app.Production : app.FindSlot(slotName);
            if (slot is null || (slotName is not null && slot.IsProduction))
            {
                return NotFound($"Microsoft.Web/sites/{app.Name}/slots/{slotName}", app.ResourceGroup);
            }

            return request.Operation.OperationId switch
            {
                "WebApps_Get" or "WebApps_GetSlot" => new ArmAnswer(200, Site(request, slot)),
                "WebApps_SwapSlotWithProduction" => Swap(request, app, Target(request), EmulatedWebApp.ProductionSlotName),
                "WebApps_SwapSlotSlot" => Swap(request, app, slot.Name, Target(request)),
                "WebApps_ApplySlotConfigToProduction" => Apply(app, Target(request), EmulatedWebApp.ProductionSlotName),
                "WebApps_ApplySlotConfigurationSlot" => Apply(app, slot.Name, Target(request)),
                "WebApps_ResetProductionSlotConfig" or "WebApps_ResetSlotConfigurationSlot" => Reset(app, slot),
                "WebApps_GetConfiguration" or "WebApps_GetConfigurationSlot" => new ArmAnswer(200, Config(request, slot)),
                "WebApps_UpdateConfiguration" or "WebApps_UpdateConfigurationSlot" => UpdateConfig(request, app, slot),
                "WebApps_ListSlotConfigurationNames" => new ArmAnswer(200, SlotConfigNames(request, app)),
                _ => ArmAnswer.Error(400, "BadRequest", $"the emulator does not serve {request.Operation.OperationId}."),
            };
        }
    }

    /// <summary>GET of a swap's polling URL. Returns null when the id is unknown.</summary>
    public ArmAnswer? Poll(string operationId, bool statusResource, Uri baseUri)
    {
        lock (state.Gate)
        {
            if (state.FindOperation(operationId) is not { } found)
            {
                return null;
            }

            var (app, swap) = found;
            if (statusResource)
            {
                // ARM async-operations guide: the status resource has "status" and, once failed, "error".
                var body = new JsonObject
                {
                    ["id"] = OperationPath(app, StatusSegment, swap.Id),
                    ["name"] = swap.Id,
                    ["status"] = swap.Status,
                    ["startTime"] = swap.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                };
                if (swap.CompletedAt is { } end)
                {
                    body["endTime"] = end.ToString("O", CultureInfo.InvariantCulture);
                }

                if (swap.Status == EmulatedSwap.Failed)
                {
                    body["error"] = new JsonObject { ["code"] = swap.ErrorCode, ["message"] = swap.ErrorMessage };
                }

                var answer = new ArmAnswer(200, body);
                return swap.Status == EmulatedSwap.InProgress ? answer.With("Retry-After", Seconds(options.OperationRetryAfter)) : answer;
            }

            return swap.Status switch
            {
                EmulatedSwap.InProgress => new ArmAnswer(202)
                    .With("Location", new Uri(baseUri, OperationPath(app, LocationSegment, swap.Id) + "?api-version=" + catalog.Operation("WebApps_SwapSlotSlot").ApiVersion).ToString())
                    .With("Retry-After", Seconds(options.OperationRetryAfter)),
                EmulatedSwap.Succeeded => new ArmAnswer(200),
                _ => ArmAnswer.Error(swap.ErrorStatus, swap.ErrorCode!, swap.ErrorMessage!),
            };
        }
    }

    private static JsonObject Site(ArmRequest request, EmulatedSlot slot)
    {
        var app = slot.App;
        var body = ExampleBodies.Body(request.Operation, Actual(request));
        body["id"] = slot.Id;
        body["name"] = slot.IsProduction ? app.Name : $"{app.Name}/{slot.Name}";
        body["location"] = app.Location;
        if (slot.TagStore.Count > 0)
        {
            body["tags"] = Map(slot.TagStore);
        }

        var properties = (JsonObject)body["properties"]!;
        properties["state"] = slot.State;
        properties["hostNames"] = new JsonArray(slot.HostName);
        properties["enabledHostNames"] = new JsonArray(slot.HostName, slot.ScmHostName);
        properties["defaultHostName"] = slot.HostName;
        properties["repositorySiteName"] = app.Name;
        properties["resourceGroup"] = app.ResourceGroup;
        properties["lastModifiedTimeUtc"] = request.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        // The example's two host-name SSL states are a Standard and a Repository (Kudu) entry: keep their shape, set the names.
        if (properties["hostNameSslStates"] is JsonArray ssl && ssl.Count == 2)
        {
            ssl[0]!["name"] = slot.HostName;
            ssl[1]!["name"] = slot.ScmHostName;
        }

        if (slot.TargetSwap is { } target)
        {
            properties["targetSwapSlot"] = target;
        }

        if (slot.LastSwap is { } last)
        {
            properties["slotSwapStatus"] = new JsonObject
            {
                ["timestampUtc"] = last.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["sourceSlotName"] = last.Source,
                ["destinationSlotName"] = last.Destination,
            };
        }

        return body;
    }

    private ArmAnswer Swap(ArmRequest request, EmulatedWebApp app, string source, string target)
    {
        if (app.Problem(source, target) is { } problem)
        {
            return ArmAnswer.Error(400, "BadRequest", problem);
        }

        if (app.RunningSwap is { } running)
        {
            return ArmAnswer.Error(409, "Conflict", $"Cannot swap slots for site '{app.Name}' because a swap of '{running.SourceSlot}' and '{running.TargetSlot}' is in progress.");
        }

        if (app.Preview is { } preview && !app.PreviewIsBetween(source, target))
        {
            return ArmAnswer.Error(409, "Conflict", $"Cannot swap '{source}' and '{target}': a swap with preview of '{preview.Source}' into '{preview.Target}' is pending; complete or reset it first.");
        }

        var swap = state.StartSwap(app, source, target);
        if (swap.Status != EmulatedSwap.InProgress)
        {
            return swap.Status == EmulatedSwap.Succeeded ? new ArmAnswer(200) : ArmAnswer.Error(swap.ErrorStatus, swap.ErrorCode!, swap.ErrorMessage!);
        }

        // The description declares 202 "Operation is in progress." without headers; the REST reference and the ARM
        // async-operations guide give Location or Azure-AsyncOperation, and Retry-After.
        var answer = new ArmAnswer(202).With("Retry-After", Seconds(options.OperationRetryAfter));
        var version = "?api-version=" + request.Operation.ApiVersion;
        if (options.LongRunningStyle is LongRunningStyle.Location or LongRunningStyle.Both)
        {
            answer.With("Location", new Uri(request.BaseUri, OperationPath(app, LocationSegment, swap.Id) + version).ToString());
        }

        if (options.LongRunningStyle is LongRunningStyle.AzureAsyncOperation or LongRunningStyle.Both)
        {
            answer.With("Azure-AsyncOperation", new Uri(request.BaseUri, OperationPath(app, StatusSegment, swap.Id) + version).ToString());
        }

        return answer;
    }

    private static ArmAnswer Apply(EmulatedWebApp app, string source, string target)
    {
        if (app.Problem(source, target) is { } problem)
        {
            return ArmAnswer.Error(400, "BadRequest", problem);
        }

        if (app.RunningSwap is not null || (app.Preview is not null && !app.PreviewIsBetween(source, target)))
        {
            return ArmAnswer.Error(409, "Conflict", $"Cannot apply slot configuration on site '{app.Name}': another swap is pending or in progress.");
        }

        app.ApplyPreview(source, target);
        return new ArmAnswer(200);
    }

    private static ArmAnswer Reset(EmulatedWebApp app, EmulatedSlot slot)
    {
        // Resetting either slot of a pending swap with preview cancels it; with none pending it changes nothing.
        if (app.Preview is { } preview && (string.Equals(preview.Source, slot.Name, StringComparison.OrdinalIgnoreCase) || string.Equals(preview.Target, slot.Name, StringComparison.OrdinalIgnoreCase)))
        {
            app.CancelPreview();
        }

        return new ArmAnswer(200);
    }

    private static JsonObject Config(ArmRequest request, EmulatedSlot slot)
    {
        var body = ExampleBodies.Body(request.Operation, Actual(request));
        body["id"] = slot.Id + "/config/web";
        var properties = (JsonObject)body["properties"]!;
        foreach (var (name, value) in slot.ConfigProperties)
        {
            properties[name] = value?.DeepClone();
        }

        return body;
    }

    private static ArmAnswer UpdateConfig(ArmRequest request, EmulatedWebApp app, EmulatedSlot slot)
    {
        if (request.Body?["properties"] is not JsonObject changes)
        {
            return new ArmAnswer(200, Config(request, slot));
        }

        if (changes["experiments"]?["rampUpRules"] is JsonArray rules)
        {
            foreach (var rule in rules.OfType<JsonObject>())
            {
                var percentage = rule["reroutePercentage"] is JsonValue p && p.TryGetValue<double>(out var value) ? value : 0;
                if (percentage is < 0 or > 100)
                {
                    return ArmAnswer.Error(400, "BadRequest", $"ReroutePercentage {percentage.ToString(CultureInfo.InvariantCulture)} must be between 0 and 100.");
                }

                var host = rule["actionHostName"]?.GetValue<string>();
                if (app.Slots.All(s => s.IsProduction || !string.Equals(s.HostName, host, StringComparison.OrdinalIgnoreCase)))
                {
                    // Stricter than documented: a rule must name one of the app's slots by its host name (from GET slot).
                    return ArmAnswer.Error(400, "BadRequest", $"ActionHostName '{host}' is not the host name of a slot of site '{app.Name}'.");
                }
            }
        }

        // PATCH merges: each member sent replaces the stored one (an array, such as rampUpRules, as a whole).
        foreach (var (name, value) in changes)
        {
            slot.ConfigProperties[name] = value?.DeepClone();
        }

        return new ArmAnswer(200, Config(request, slot));
    }

    private static JsonObject SlotConfigNames(ArmRequest request, EmulatedWebApp app)
    {
        // No operation answering SlotConfigNamesResource has an example: the body is built member by member from the
        // schema's own names, and checked against the schema like every other answer.
        var schema = request.Operation.Responses["200"].Schema!;
        var lists = new Dictionary<string, IEnumerable<string>>(StringComparer.Ordinal)
        {
            ["appSettingNames"] = app.StickySettings,
            ["connectionStringNames"] = app.StickyConnectionStrings,
            ["azureStorageConfigNames"] = [],
        };
        var properties = new JsonObject();
        foreach (var name in schema.Properties["properties"].Properties.Keys)
        {
            properties[name] = new JsonArray([.. lists.GetValueOrDefault(name, []).Select(n => (JsonNode)n)]);
        }

        return new JsonObject
        {
            ["id"] = app.Id + "/config/slotConfigNames",
            ["name"] = "slotConfigNames",
            ["type"] = "Microsoft.Web/sites/config",
            ["properties"] = properties,
        };
    }

    private static string Target(ArmRequest request) => request.Body?["targetSlot"]?.GetValue<string>() ?? "";

    private static Dictionary<string, string> Actual(ArmRequest request) => new(request.Match.PathValues, StringComparer.Ordinal);

    private static string OperationPath(EmulatedWebApp app, string segment, string id) =>
        $"/subscriptions/{app.SubscriptionId}/providers/Microsoft.Web/sites/{app.Name}/{segment}/{id}";

    private static ArmAnswer NotFound(string resource, string resourceGroup) =>
        ArmAnswer.Error(404, "ResourceNotFound", $"The Resource '{resource}' under resource group '{resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (name, value) in values)
        {
            map[name] = value;
        }

        return map;
    }

    private static string Seconds(TimeSpan time) => ((int)Math.Ceiling(time.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
