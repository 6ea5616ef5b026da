using System.Buffers;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// Tags of any resource through Microsoft.Resources' tags-at-scope API (resources.json 2025-04-01:
/// <c>/{scope}/providers/Microsoft.Resources/tags/default</c>). This is the way to tag a web app: the site PATCH body
/// (WebApps.json <c>SitePatchResource</c>) has no <c>tags</c> member. Mirrors Azure.ResourceManager's <c>TagResource</c>.
/// </summary>
/// <remarks>
/// ARM keeps at most <see cref="MaxTagsPerResource"/> tags per resource, values of at most <see cref="MaxValueLength"/>
/// characters. None of these operations takes <c>If-Match</c>, and <c>TagsResource</c> has no <c>etag</c>: a write is
/// last-writer-wins (docs/azure-emulator.md, "Conditional writes").
/// </remarks>
internal sealed class TagsClient(ArmPipeline arm)
{
    /// <summary>ARM's limit of tags per resource (issue 8; Azure Resource Manager tag documentation).</summary>
    public const int MaxTagsPerResource = 50;

    /// <summary>ARM's limit on a tag value's length.</summary>
    public const int MaxValueLength = 256;

    /// <summary>ARM's limit on a tag name's length for most resource types.</summary>
    public const int MaxNameLength = 512;

    private const string ApiVersion = ArmOperationCatalog.TagsApiVersion;

    // Characters ARM rejects in tag names (Azure Resource Manager tag documentation, "Limitations").
    private static readonly SearchValues<char> ForbiddenNameCharacters = SearchValues.Create("<>%&\\?/");

    public ArmCallCounter Counter => arm.Counter;

    /// <summary><c>Tags_GetAtScope</c>. Mirrors <c>TagResource.GetAsync</c>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetAtScopeAsync(ResourceIdentifier scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var operation = ArmOperationCatalog.GetTagsAtScope;
        var answer = await arm.SendAsync(RequestMethod.Get, Uri(scope), null, operation, scope, cancellationToken);
        return ArmJson.StringMap(answer.Json(operation, scope), "properties.tags");
    }

    /// <summary>
    /// <c>Tags_UpdateAtScope</c> (PATCH): <see cref="TagPatchMode.Merge"/> adds or overwrites the given tags,
    /// <see cref="TagPatchMode.Delete"/> removes them (by name; ARM also matches values when given),
    /// <see cref="TagPatchMode.Replace"/> makes them the only tags. Long-running in the description (200, or 202 and
    /// <c>Location</c>); this waits for the end and returns the tags after it. Mirrors <c>TagResource.UpdateAsync</c>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> UpdateAtScopeAsync(
        ResourceIdentifier scope, TagPatchMode mode, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(tags);
        Validate(tags, mode == TagPatchMode.Delete);
        var body = new JsonObject
        {
            ["operation"] = mode.ToString(),
            ["properties"] = new JsonObject { ["tags"] = Map(tags) },
        };
        return await WriteAsync(RequestMethod.Patch, scope, body, ArmOperationCatalog.UpdateTagsAtScope, cancellationToken);
    }

    /// <summary>
    /// Removes the tags named <paramref name="names"/> (those present): reads them, then <c>Tags_UpdateAtScope</c> with
    /// <see cref="TagPatchMode.Delete"/> and their current name/value pairs, which deletes them whichever way ARM matches (by name,
    /// or by name and value). Mirrors Azure.ResourceManager's <c>ArmResource.RemoveTagAsync</c>, which instead writes every other
    /// tag back (and so can undo a concurrent write); this one touches only the named tags.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> RemoveAtScopeAsync(ResourceIdentifier scope, IEnumerable<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(names);
        var current = await GetAtScopeAsync(scope, cancellationToken);
        var doomed = names.Where(current.ContainsKey).Distinct(StringComparer.Ordinal).ToDictionary(n => n, n => current[n], StringComparer.Ordinal);
        return doomed.Count == 0 ? current : await UpdateAtScopeAsync(scope, TagPatchMode.Delete, doomed, cancellationToken);
    }

    /// <summary>
    /// <c>Tags_CreateOrUpdateAtScope</c> (PUT): the given tags become the resource's only tags.
    /// Mirrors <c>TagResource.CreateOrUpdateAsync</c>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> CreateOrUpdateAtScopeAsync(
        ResourceIdentifier scope, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(tags);
        Validate(tags, deleting: false);
        var body = new JsonObject { ["properties"] = new JsonObject { ["tags"] = Map(tags) } };
        return await WriteAsync(RequestMethod.Put, scope, body, ArmOperationCatalog.CreateOrUpdateTagsAtScope, cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, string>> WriteAsync(
        RequestMethod method, ResourceIdentifier scope, JsonObject body, ArmOperationInfo operation, CancellationToken cancellationToken)
    {
        var uri = Uri(scope);
        var content = BinaryData.FromString(body.ToJsonString());
        var first = await arm.SendAsync(method, uri, content, operation, scope, cancellationToken);
        if (first.Status == 200 && first.Content.ToMemory().Length > 0)
        {
            return ArmJson.StringMap(first.Json(operation, scope), "properties.tags");
        }

        // 202 (or a 2xx without the TagsResource): follow the operation, then read the tags as they are now.
        var lro = ArmOperation.FromResponse(arm, first, operation, scope);
        await lro.WaitForCompletionResponseAsync(cancellationToken);
        return await GetAtScopeAsync(scope, cancellationToken);
    }

    private static void Validate(IReadOnlyDictionary<string, string> tags, bool deleting)
    {
        if (!deleting && tags.Count > MaxTagsPerResource)
        {
            throw new ArgumentException($"{tags.Count} tags in one write; ARM keeps at most {MaxTagsPerResource} per resource.", nameof(tags));
        }

        foreach (var (name, value) in tags)
        {
            if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.IndexOfAny(ForbiddenNameCharacters) >= 0)
            {
                throw new ArgumentException(
                    $"tag name '{name}' is empty, longer than {MaxNameLength} characters, or contains one of < > % & \\ ? / (ARM rejects those).", nameof(tags));
            }

            if (value.Length > MaxValueLength)
            {
                throw new ArgumentException($"the value of tag '{name}' has {value.Length} characters; ARM allows {MaxValueLength}.", nameof(tags));
            }
        }
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> tags)
    {
        var map = new JsonObject();
        foreach (var (name, value) in tags)
        {
            map[name] = value;
        }

        return map;
    }

    private Uri Uri(ResourceIdentifier scope) => arm.BuildUri(scope + "/providers/Microsoft.Resources/tags/default", ApiVersion);
}

/// <summary>resources.json <c>TagsPatchResource.operation</c>. Mirrors Azure.ResourceManager's <c>TagPatchMode</c>.</summary>
internal enum TagPatchMode
{
    /// <summary>"The 'replace' option replaces the entire set of existing tags with a new set."</summary>
    Replace,

    /// <summary>"The 'merge' option allows adding tags with new names and updating the values of tags with existing names."</summary>
    Merge,

    /// <summary>"The 'delete' option allows selectively deleting tags based on given names or name/value pairs."</summary>
    Delete,
}
