using System.Text.Json.Nodes;
using ZdPipelines.AzureEmulator.State;
using ZdPipelines.AzureEmulator.Swagger;

namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>
/// Microsoft.Resources tags at scope (resources.json 2025-04-01) on emulated sites and slots: <c>Tags_GetAtScope</c>,
/// <c>Tags_UpdateAtScope</c> (Merge, Replace, Delete) and <c>Tags_CreateOrUpdateAtScope</c>. Writes are last-writer-wins:
/// the description has no <c>If-Match</c> and no <c>etag</c>.
/// </summary>
internal sealed class TagsOperations(ArmState state, ArmEmulatorOptions options)
{
    /// <summary>ARM's limit of tags per resource.</summary>
    public const int MaxTags = 50;

    /// <summary>ARM's limit on a tag value's length.</summary>
    public const int MaxValueLength = 256;

    public static readonly IReadOnlySet<string> Served = new HashSet<string>(StringComparer.Ordinal) { "Tags_GetAtScope", "Tags_UpdateAtScope", "Tags_CreateOrUpdateAtScope" };

    private readonly Dictionary<string, bool> _pendingWrites = new(StringComparer.OrdinalIgnoreCase);

    public ArmAnswer Handle(ArmRequest request)
    {
        var scope = request.PathValue("scope")!;
        lock (state.Gate)
        {
            if (ArmActions.WebApp(scope) is not { } id || state.FindApp(id.Subscription, id.ResourceGroup, id.Site) is not { } app
                || (id.Slot is { } slotName ? app.FindSlot(slotName) : app.Production) is not { } slot || (id.Slot is not null && slot.IsProduction))
            {
                return ArmAnswer.Error(404, "ResourceNotFound", $"The Resource '{scope}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
            }

            if (request.Operation.OperationId == "Tags_GetAtScope")
            {
                return new ArmAnswer(200, Body(request, slot));
            }

            var tags = request.Body?["properties"]?["tags"] as JsonObject ?? [];
            var mode = request.Operation.OperationId == "Tags_CreateOrUpdateAtScope" ? "Replace" : request.Body?["operation"]?.GetValue<string>() ?? "Replace";
            var next = new Dictionary<string, string>(mode == "Replace" ? [] : slot.TagStore, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, node) in tags)
            {
                var value = node?.GetValue<string>() ?? "";
                if (mode == "Delete")
                {
                    // "Selectively deleting tags based on given names or name/value pairs": an empty value deletes by name.
                    if (next.TryGetValue(name, out var current) && (value.Length == 0 || value == current))
                    {
                        next.Remove(name);
                    }
                }
                else
                {
                    next[name] = value;
                }
            }

            if (next.Count > MaxTags)
            {
                return ArmAnswer.Error(400, "InvalidTag", $"The resource '{scope}' would have {next.Count} tags; at most {MaxTags} are allowed.");
            }

            if (next.FirstOrDefault(t => t.Value.Length > MaxValueLength) is { Key: not null } tooLong)
            {
                return ArmAnswer.Error(400, "InvalidTagValueLength", $"The tag value of '{tooLong.Key}' has length {tooLong.Value.Length}; the maximum is {MaxValueLength}.");
            }

            slot.TagStore = next;
            if (!options.TagWritesAreLongRunning)
            {
                return new ArmAnswer(200, Body(request, slot));
            }

            // resources.json: 202 "Accepted" with a Location header. The write is already applied; the first poll says done.
            var operationId = Guid.NewGuid().ToString();
            _pendingWrites[operationId] = true;
            return new ArmAnswer(202).With("Location", new Uri(request.BaseUri, $"/subscriptions/{id.Subscription}/providers/Microsoft.Resources/operationresults/{operationId}?api-version={request.Operation.ApiVersion}").ToString());
        }
    }

    /// <summary>GET of a tag write's Location: 200 once known. Null when the id is unknown.</summary>
    public ArmAnswer? Poll(string operationId)
    {
        lock (state.Gate)
        {
            return _pendingWrites.Remove(operationId) ? new ArmAnswer(200) : null;
        }
    }

    private static JsonObject Body(ArmRequest request, EmulatedSlot slot)
    {
        // Shaped from GetTagsResource.json (PutTagsResource.json / PatchTagsResource.json for writes): id and properties.tags.
        var body = ExampleBodies.Body(request.Operation, new Dictionary<string, string>(StringComparer.Ordinal));
        body["id"] = slot.Id;
        var tags = new JsonObject();
        foreach (var (name, value) in slot.TagStore)
        {
            tags[name] = value;
        }

        body["properties"] = new JsonObject { ["tags"] = tags };
        return body;
    }
}
