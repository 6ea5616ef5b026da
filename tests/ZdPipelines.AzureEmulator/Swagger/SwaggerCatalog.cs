using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;

namespace ZdPipelines.AzureEmulator.Swagger;

/// <summary>
/// The official API descriptions under <c>Specs/specification/</c> (copied from Azure/azure-rest-api-specs in the upstream
/// layout, so relative <c>$ref</c>s resolve), read with Microsoft.OpenApi.Readers. Every request the emulator serves is matched
/// to an operation here and checked against it, and every answer is shaped from the operation's examples and schemas.
/// </summary>
/// <remarks>
/// Each file is read on its own with local references resolved; references into another file (<c>./CommonDefinitions.json#…</c>,
/// <c>../../../../common-types/…</c>) are left unresolved by the reader and resolved here, relative to the file that holds the
/// reference (Microsoft.OpenApi.Readers 1.6 resolves nested external references relative to the root document instead, and
/// cannot resolve them in place: "Resolving external references is not supported").
/// </remarks>
public sealed partial class SwaggerCatalog
{
    /// <summary>The descriptions the emulator serves, relative to <c>Specs/specification/</c>.</summary>
    public static readonly IReadOnlyList<string> ServedDescriptions =
    [
        "web/resource-manager/Microsoft.Web/AppService/stable/2025-03-01/WebApps.json",
        "monitor/resource-manager/Microsoft.Insights/stable/2024-02-01/metrics_API.json",
        "resources/resource-manager/Microsoft.Resources/resources/stable/2025-04-01/resources.json",
    ];

    private static readonly Lazy<Task<SwaggerCatalog>> Shared = new(() => Task.Run(() => Load(DefaultRoot)));

    private readonly Dictionary<string, OpenApiDocument> _documents = new(StringComparer.Ordinal);
    private readonly List<SwaggerOperation> _operations = [];

    private SwaggerCatalog(string root) => Root = root;

    /// <summary>The <c>specification</c> folder next to this assembly.</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "Specs", "specification");

    public string Root { get; }

    public IReadOnlyList<SwaggerOperation> Operations => _operations;

    /// <summary>The catalog of <see cref="DefaultRoot"/>, read once per process (WebApps.json is 1 MB: about a second).</summary>
    public static Task<SwaggerCatalog> LoadSharedAsync() => Shared.Value;

    public static SwaggerCatalog Load(string root)
    {
        var catalog = new SwaggerCatalog(root);
        foreach (var relative in ServedDescriptions)
        {
            var file = Path.GetFullPath(Path.Combine(root, relative));
            var document = catalog.Document(file);
            foreach (var (template, item) in document.Paths)
            {
                foreach (var (method, operation) in item.Operations)
                {
                    catalog._operations.Add(new SwaggerOperation(catalog, file, document, template, method.ToString().ToUpperInvariant(), item, operation));
                }
            }
        }

        return catalog;
    }

    public SwaggerOperation Operation(string operationId) =>
        _operations.FirstOrDefault(o => o.OperationId == operationId) ?? throw new KeyNotFoundException($"no operation '{operationId}' in the served descriptions.");

    /// <summary>
    /// The operation whose path template and method fit the request, the most specific first (most literal characters: so
    /// <c>…/sites/{name}/slots/{slot}</c> wins over resources.json's generic <c>/{resourceId}</c>); null when none does.
    /// </summary>
    public SwaggerMatch? Match(string method, string path)
    {
        SwaggerMatch? best = null;
        foreach (var operation in _operations)
        {
            if (!string.Equals(operation.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (operation.TryMatch(path) is { } values && (best is null || operation.Specificity > best.Operation.Specificity))
            {
                best = new SwaggerMatch(operation, values);
            }
        }

        return best;
    }

    /// <summary>
    /// The methods described for the most specific template that fits the path (to tell "wrong method" from "unknown path", and
    /// a DELETE on …/slotsswap from resources.json's generic DELETE of any resource).
    /// </summary>
    public IReadOnlyList<string> MethodsFor(string path)
    {
        var fitting = _operations.Where(o => o.TryMatch(path) is not null).ToList();
        if (fitting.Count == 0)
        {
            return [];
        }

        var best = fitting.Max(o => o.Specificity);
        return [.. fitting.Where(o => o.Specificity == best).Select(o => o.Method).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The schema a reference points to, and the file it lives in (for the references inside it).</summary>
    internal (OpenApiSchema Schema, string File) Resolve(OpenApiSchema schema, string file)
    {
        for (var hops = 0; schema.UnresolvedReference && schema.Reference is { } reference; hops++)
        {
            if (hops > 8)
            {
                throw new InvalidOperationException($"reference loop at {reference.ReferenceV3} in {file}");
            }

            var target = reference.IsExternal ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, reference.ExternalResource)) : file;
            var document = Document(target);
            var id = LastSegment(reference.Id);
            schema = (document.Components?.Schemas.TryGetValue(id, out var found) == true ? found : null)
                ?? throw new InvalidOperationException($"'{reference.ReferenceV3}' in {file} does not resolve: no definition '{id}' in {target}.");
            file = target;
        }

        return (schema, file);
    }

    internal (OpenApiParameter Parameter, string File) Resolve(OpenApiParameter parameter, string file)
    {
        if (!parameter.UnresolvedReference || parameter.Reference is not { } reference)
        {
            return (parameter, file);
        }

        var target = reference.IsExternal ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, reference.ExternalResource)) : file;
        var document = Document(target);
        var id = LastSegment(reference.Id);
        var resolved = (document.Components?.Parameters.TryGetValue(id, out var found) == true ? found : null)
            ?? throw new InvalidOperationException($"'{reference.ReferenceV3}' in {file} does not resolve: no parameter '{id}' in {target}.");
        return (resolved, target);
    }

    /// <summary>An example file an operation's <c>x-ms-examples</c> names, as JSON.</summary>
    /// <summary>
    /// An example file an operation's <c>x-ms-examples</c> names, as JSON; null when it was not copied (only the examples of the
    /// operations the emulator serves are, see Specs/README.md).
    /// </summary>
    internal static JsonNode? ReadExample(string file, string relative)
    {
        var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, relative));
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
    }

    internal OpenApiDocument Document(string file)
    {
        lock (_documents)
        {
            if (_documents.TryGetValue(file, out var known))
            {
                return known;
            }

            using var stream = File.OpenRead(file);
            var settings = new OpenApiReaderSettings { ReferenceResolution = ReferenceResolutionSetting.ResolveLocalReferences };
            var document = new OpenApiStreamReader(settings).Read(stream, out var diagnostic);
            // CommonDefinitions.json has one definition named "KeyValuePair[String,Object]", which OpenAPI 3 forbids as a
            // component key; the reader reports it and reads the rest. Anything else means the file did not load as written.
            var errors = diagnostic.Errors.Where(e => !e.Message.Contains("KeyValuePair[String,Object]", StringComparison.Ordinal)).ToList();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"{file} did not read cleanly: {string.Join("; ", errors.Select(e => e.ToString()))}");
            }

            _documents[file] = document;
            return document;
        }
    }

    internal static bool IsTrue(IDictionary<string, Microsoft.OpenApi.Interfaces.IOpenApiExtension> extensions, string name) =>
        extensions.TryGetValue(name, out var value) && value is OpenApiBoolean { Value: true };

    private static string LastSegment(string id) => id[(id.LastIndexOf('/') + 1)..];

    [GeneratedRegex(@"\{([^}]+)\}")]
    internal static partial Regex TemplateParameter();
}

/// <summary>A request matched to an operation, with the path parameters' values (unescaped).</summary>
public sealed record SwaggerMatch(SwaggerOperation Operation, IReadOnlyDictionary<string, string> PathValues);
