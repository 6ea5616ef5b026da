using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;

namespace ZdPipelines.AzureEmulator.Swagger;

/// <summary>One operation of a served description: its path template, parameters, body, responses and examples, references resolved.</summary>
public sealed class SwaggerOperation
{
    private readonly SwaggerCatalog _catalog;
    private readonly Regex _pattern;
    private readonly List<string> _templateNames = [];

    internal SwaggerOperation(SwaggerCatalog catalog, string file, OpenApiDocument document, string template, string method, OpenApiPathItem item, OpenApiOperation operation)
    {
        _catalog = catalog;
        File = file;
        Template = template;
        Method = method;
        OperationId = operation.OperationId ?? $"{method} {template}";
        ApiVersion = document.Info.Version;
        IsLongRunning = SwaggerCatalog.IsTrue(operation.Extensions, "x-ms-long-running-operation");
        Parameters = item.Parameters.Concat(operation.Parameters)
            .Select(p => catalog.Resolve(p, file))
            .Select(p => new SwaggerParameter(p.Parameter.Name, p.Parameter.In?.ToString().ToLowerInvariant() ?? "", p.Parameter.Required, p.Parameter.Schema, p.File,
                SwaggerCatalog.IsTrue(p.Parameter.Extensions, "x-ms-skip-url-encoding")))
            .ToList();
        if (operation.RequestBody is { } body && body.Content.Values.FirstOrDefault()?.Schema is { } bodySchema)
        {
            var resolved = catalog.Resolve(bodySchema, file);
            Body = new SwaggerBody(body.Required, new SwaggerSchema(catalog, resolved.Schema, resolved.File));
        }

        Responses = operation.Responses.ToDictionary(
            r => r.Key,
            r => new SwaggerResponse(
                r.Value.Content.Values.FirstOrDefault()?.Schema is { } schema ? new SwaggerSchema(catalog, schema, file).Resolved() : null,
                r.Value.Headers.Keys.ToList(),
                r.Value.Extensions.ContainsKey("x-ms-error-response")),
            StringComparer.Ordinal);
        Examples = operation.Extensions.TryGetValue("x-ms-examples", out var examples) && examples is OpenApiObject map
            ? map.Values.OfType<OpenApiObject>().Select(e => e.TryGetValue("$ref", out var r) && r is OpenApiString s ? s.Value : null).OfType<string>().ToList()
            : [];

        var pattern = new StringBuilder("^");
        var last = 0;
        foreach (Match m in SwaggerCatalog.TemplateParameter().Matches(template))
        {
            pattern.Append(Regex.Escape(template[last..m.Index]));
            var name = m.Groups[1].Value;
            _templateNames.Add(name);
            var spansSegments = Parameters.FirstOrDefault(p => p.Name == name && p.In == "path")?.SkipUrlEncoding ?? false;
            pattern.Append(spansSegments ? "(.+?)" : "([^/]+)");
            last = m.Index + m.Length;
        }

        pattern.Append(Regex.Escape(template[last..])).Append("/?$");
        // Literal segments first, fewer parameters second: the metrics and tags templates ("/{resourceUri}/providers/…") then
        // beat resources.json's generic "…/providers/{namespace}/{parentResourcePath}/{type}/{name}" that also fits them.
        var literalSegments = template.Split('/', StringSplitOptions.RemoveEmptyEntries).Count(s => !s.Contains('{', StringComparison.Ordinal));
        Specificity = (literalSegments * 100) - _templateNames.Count;
        // ARM paths are case-insensitive ("resourceGroups" and "resourcegroups" both appear in the descriptions).
        _pattern = new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>The file the operation is described in.</summary>
    public string File { get; }

    public string Template { get; }

    public string Method { get; }

    public string OperationId { get; }

    /// <summary>The description's <c>info.version</c>: the one <c>api-version</c> it documents.</summary>
    public string ApiVersion { get; }

    /// <summary><c>x-ms-long-running-operation</c>.</summary>
    public bool IsLongRunning { get; }

    public IReadOnlyList<SwaggerParameter> Parameters { get; }

    /// <summary>The body parameter; null when the operation takes none.</summary>
    public SwaggerBody? Body { get; }

    /// <summary>Status code (or <c>default</c>) to its response.</summary>
    public IReadOnlyDictionary<string, SwaggerResponse> Responses { get; }

    /// <summary>The example files <c>x-ms-examples</c> names, relative to <see cref="File"/>.</summary>
    public IReadOnlyList<string> Examples { get; }

    /// <summary>How specific the template is: more literal segments, then fewer parameters.</summary>
    public int Specificity { get; }

    /// <summary>The path parameters' values when <paramref name="path"/> fits the template; otherwise null.</summary>
    public IReadOnlyDictionary<string, string>? TryMatch(string path)
    {
        var m = _pattern.Match(path);
        if (!m.Success)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _templateNames.Count; i++)
        {
            values[_templateNames[i]] = Uri.UnescapeDataString(m.Groups[i + 1].Value);
        }

        return values;
    }

    /// <summary>The first example of this operation, or of one with the same response schema for <paramref name="status"/>; null if none.</summary>
    public JsonNode? Example(string status = "200")
    {
        foreach (var candidate in ExampleSources(status))
        {
            foreach (var example in candidate.Examples)
            {
                var json = SwaggerCatalog.ReadExample(candidate.File, example);
                if (json?["responses"]?[status] is { } response)
                {
                    return response;
                }
            }
        }

        return null;
    }

    /// <summary>The <paramref name="status"/> answer of this operation's example file named <paramref name="fileName"/> (e.g. GetMetricError.json).</summary>
    public JsonNode? ExampleNamed(string fileName, string status = "200") =>
        Examples.Where(e => Path.GetFileName(e) == fileName).Select(e => SwaggerCatalog.ReadExample(File, e)?["responses"]?[status]).FirstOrDefault(r => r is not null);

    /// <summary>The example's parameter values (to substitute the emulator's own for them).</summary>
    public JsonObject? ExampleParameters()
    {
        foreach (var candidate in ExampleSources("200"))
        {
            foreach (var example in candidate.Examples)
            {
                if (SwaggerCatalog.ReadExample(candidate.File, example)?["parameters"] is JsonObject parameters)
                {
                    return parameters;
                }
            }
        }

        return null;
    }

    private IEnumerable<SwaggerOperation> ExampleSources(string status)
    {
        yield return this;
        // An operation without examples borrows those of an operation in the same file answering the same schema
        // (WebApps_GetConfigurationSlot and WebApps_UpdateConfiguration answer SiteConfigResource like WebApps_GetConfiguration).
        var schema = Responses.GetValueOrDefault(status)?.Schema?.Schema;
        if (schema is null)
        {
            yield break;
        }

        foreach (var other in _catalog.Operations)
        {
            if (other != this && other.File == File && other.Examples.Count > 0 && ReferenceEquals(other.Responses.GetValueOrDefault(status)?.Schema?.Schema, schema))
            {
                yield return other;
            }
        }
    }

    public override string ToString() => $"{OperationId} ({Method} {Template}, api-version {ApiVersion})";
}

/// <summary>A parameter, resolved.</summary>
public sealed record SwaggerParameter(string Name, string In, bool Required, OpenApiSchema? Schema, string File, bool SkipUrlEncoding);

/// <summary>The body parameter.</summary>
public sealed record SwaggerBody(bool Required, SwaggerSchema Schema);

/// <summary>A response: its schema (null when it has none), declared headers, and whether it is marked an error.</summary>
public sealed record SwaggerResponse(SwaggerSchema? Schema, IReadOnlyList<string> Headers, bool IsError);
