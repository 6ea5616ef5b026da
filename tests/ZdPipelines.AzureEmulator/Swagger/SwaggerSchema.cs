using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;

namespace ZdPipelines.AzureEmulator.Swagger;

/// <summary>Whether a body is checked as a request (strict: no undeclared or read-only members) or as an answer.</summary>
public enum SchemaCheckMode
{
    Request,
    Response,
}

/// <summary>
/// A schema of a served description with the file it is defined in, so that references inside it resolve; <c>allOf</c>
/// parents are merged in. <see cref="Check"/> validates a JSON value against it.
/// </summary>
public sealed class SwaggerSchema
{
    private const int MaxDepth = 40;
    private readonly SwaggerCatalog _catalog;

    internal SwaggerSchema(SwaggerCatalog catalog, OpenApiSchema schema, string file)
    {
        _catalog = catalog;
        (Schema, File) = catalog.Resolve(schema, file);
    }

    public OpenApiSchema Schema { get; }

    public string File { get; }

    /// <summary>The definition's name, when it is a named one.</summary>
    public string? Name => Schema.Reference?.Id;

    internal SwaggerSchema Resolved() => this;

    /// <summary>Declared members, own and inherited through <c>allOf</c>.</summary>
    public IReadOnlyDictionary<string, SwaggerSchema> Properties
    {
        get
        {
            var properties = new Dictionary<string, SwaggerSchema>(StringComparer.Ordinal);
            foreach (var part in Parts())
            {
                foreach (var (name, schema) in part.Schema.Properties)
                {
                    properties.TryAdd(name, new SwaggerSchema(_catalog, schema, part.File));
                }
            }

            return properties;
        }
    }

    /// <summary>Required members, own and inherited.</summary>
    public IReadOnlyCollection<string> Required => Parts().SelectMany(p => p.Schema.Required).ToHashSet(StringComparer.Ordinal);

    public string? Type => Parts().Select(p => p.Schema.Type).FirstOrDefault(t => t is not null);

    /// <summary>Checks <paramref name="value"/>, adding one line per violation (a JSON path and what is wrong).</summary>
    public void Check(JsonNode? value, string path, SchemaCheckMode mode, ICollection<string> violations) => Check(value, path, mode, violations, 0);

    private void Check(JsonNode? value, string path, SchemaCheckMode mode, ICollection<string> violations, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return;
        }

        var properties = Properties;
        var type = Type ?? (properties.Count > 0 ? "object" : null);
        switch (type)
        {
            case "object":
                if (value is not JsonObject obj)
                {
                    violations.Add($"{path}: expected an object ({Name ?? "schema"}), got {Kind(value)}");
                    return;
                }

                foreach (var required in Required)
                {
                    if (!obj.ContainsKey(required))
                    {
                        violations.Add($"{path}: required member '{required}' of {Name ?? "the schema"} is missing");
                    }
                }

                var additional = Parts().Select(p => p.Schema.AdditionalProperties is { } a ? new SwaggerSchema(_catalog, a, p.File) : null).FirstOrDefault(a => a is not null);
                foreach (var (name, member) in obj)
                {
                    if (properties.TryGetValue(name, out var declared))
                    {
                        if (mode == SchemaCheckMode.Request && declared.Parts().Any(p => p.Schema.ReadOnly))
                        {
                            violations.Add($"{path}.{name}: is read-only in {Name ?? "the schema"}; a request must not send it");
                        }

                        declared.Check(member, $"{path}.{name}", mode, violations, depth + 1);
                    }
                    else if (additional is not null)
                    {
                        additional.Check(member, $"{path}.{name}", mode, violations, depth + 1);
                    }
                    else if (mode == SchemaCheckMode.Request && properties.Count > 0)
                    {
                        violations.Add($"{path}.{name}: is not a member of {Name ?? "the schema"} (declared: {string.Join(", ", properties.Keys)})");
                    }
                }

                break;
            case "array":
                if (value is not JsonArray array)
                {
                    violations.Add($"{path}: expected an array, got {Kind(value)}");
                    return;
                }

                if (Parts().Select(p => p.Schema.Items is { } i ? new SwaggerSchema(_catalog, i, p.File) : null).FirstOrDefault(i => i is not null) is { } items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        items.Check(array[i], $"{path}[{i}]", mode, violations, depth + 1);
                    }
                }

                break;
            case "string":
                if (!Is(value, JsonValueKind.String, out var text))
                {
                    violations.Add($"{path}: expected a string, got {Kind(value)}");
                    return;
                }

                if (Schema.Format == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                {
                    violations.Add($"{path}: '{text}' is not a date-time");
                }

                if (Schema.Enum.Count > 0 && !ModelAsString(Schema) && !Schema.Enum.OfType<OpenApiString>().Any(e => string.Equals(e.Value, text, StringComparison.OrdinalIgnoreCase)))
                {
                    violations.Add($"{path}: '{text}' is not one of {string.Join(", ", Schema.Enum.OfType<OpenApiString>().Select(e => e.Value))}");
                }

                break;
            case "number":
                if (!Is(value, JsonValueKind.Number, out _))
                {
                    violations.Add($"{path}: expected a number, got {Kind(value)}");
                }

                break;
            case "integer":
                if (!Is(value, JsonValueKind.Number, out var digits) || !long.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                {
                    violations.Add($"{path}: expected an integer, got {Kind(value)}");
                }

                break;
            case "boolean":
                if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    violations.Add($"{path}: expected a boolean, got {Kind(value)}");
                }

                break;
        }
    }

    /// <summary>This schema and its <c>allOf</c> parents, transitively.</summary>
    private IEnumerable<SwaggerSchema> Parts()
    {
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<SwaggerSchema>([this]);
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (!seen.Add(part.Schema))
            {
                continue;
            }

            yield return part;
            foreach (var parent in part.Schema.AllOf)
            {
                pending.Push(new SwaggerSchema(_catalog, parent, part.File));
            }
        }
    }

    private static bool ModelAsString(OpenApiSchema schema) =>
        schema.Extensions.TryGetValue("x-ms-enum", out var e) && e is OpenApiObject o && o.TryGetValue("modelAsString", out var m) && m is OpenApiBoolean { Value: true };

    private static bool Is(JsonNode value, JsonValueKind kind, out string text)
    {
        text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return value.GetValueKind() == kind;
    }

    private static string Kind(JsonNode value) => value.GetValueKind().ToString().ToLowerInvariant();
}
