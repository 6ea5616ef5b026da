using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;
using Microsoft.OpenApi.Writers;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Support;

/// <summary>
/// GitHub's OpenAPI description of the Deployments endpoints, read with Microsoft.OpenApi.Readers: finds the
/// operation for a method and path (by the description's path templates, path parameters typed), checks a JSON body
/// against the operation's request schema (types, required members, enums, oneOf, nullable, maxLength), and hands
/// out the description's examples. No shape here is written by hand.
/// </summary>
internal sealed class OpenApiRequestChecker
{
    private readonly List<(Regex Pattern, string Template, OpenApiPathItem Item)> _paths = [];

    public OpenApiRequestChecker(string descriptionPath)
    {
        using var stream = File.OpenRead(descriptionPath);
        Document = new OpenApiStreamReader().Read(stream, out var diagnostic);
        if (diagnostic.Errors.Count > 0)
        {
            throw new InvalidOperationException($"{descriptionPath}: {string.Join("; ", diagnostic.Errors.Select(e => e.Message))}");
        }

        foreach (var (template, item) in Document.Paths)
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template).Replace("\\{", "{", StringComparison.Ordinal), "{([a-z_]+)}", "(?<$1>[^/]+)") + "$";
            _paths.Add((new Regex(pattern), template, item));
        }
    }

    public static string DefaultDescriptionPath => Path.Combine(AppContext.BaseDirectory, "Support", "github-deployments.openapi.json");

    public OpenApiDocument Document { get; }

    /// <summary>The operation for <paramref name="method"/> on <paramref name="path"/>, or the problems that rule every one out.</summary>
    public (OpenApiOperation? Operation, string? Template, IReadOnlyDictionary<string, string> PathValues, List<string> Problems) Find(string method, string path)
    {
        var problems = new List<string>();
        foreach (var (pattern, template, item) in _paths)
        {
            var match = pattern.Match(path);
            if (!match.Success)
            {
                continue;
            }

            if (!Enum.TryParse<OperationType>(method, ignoreCase: true, out var type) || !item.Operations.TryGetValue(type, out var operation))
            {
                problems.Add($"{method} is not an operation of {template}");
                continue;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var parameter in item.Parameters.Concat(operation.Parameters).Where(p => p.In == ParameterLocation.Path))
            {
                var value = Uri.UnescapeDataString(match.Groups[parameter.Name].Value);
                values[parameter.Name] = value;
                if (parameter.Schema?.Type == "integer" && !long.TryParse(value, out _))
                {
                    problems.Add($"path parameter {parameter.Name} is '{value}', not an integer");
                }
            }

            return (problems.Count == 0 ? operation : null, template, values, problems);
        }

        if (problems.Count == 0)
        {
            problems.Add($"{path} matches no path of the description");
        }

        return (null, null, new Dictionary<string, string>(), problems);
    }

    /// <summary>Every way <paramref name="body"/> breaks the operation's application/json request schema.</summary>
    public static List<string> CheckBody(OpenApiOperation operation, string? body)
    {
        var problems = new List<string>();
        if (operation.RequestBody is not { } requestBody)
        {
            return problems;
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            if (requestBody.Required)
            {
                problems.Add("the request body is required");
            }

            return problems;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            problems.Add($"the body is not JSON: {e.Message}");
            return problems;
        }

        Check(requestBody.Content["application/json"].Schema, node, "body", problems);
        return problems;
    }

    /// <summary>Checks a value against a schema of the description (also used on the fake's own answers).</summary>
    public static void Check(OpenApiSchema schema, JsonNode? node, string at, List<string> problems)
    {
        if (node is null)
        {
            if (!schema.Nullable && schema.Type is not null)
            {
                problems.Add($"{at} is null, but the schema does not allow null");
            }

            return;
        }

        if (schema.OneOf.Count > 0)
        {
            var matching = schema.OneOf.Count(s =>
            {
                var inner = new List<string>();
                Check(s, node, at, inner);
                return inner.Count == 0;
            });
            if (matching != 1)
            {
                problems.Add($"{at} matches {matching} of the {schema.OneOf.Count} oneOf schemas, not exactly one");
            }

            return;
        }

        if (schema.AllOf.Count > 0)
        {
            foreach (var part in schema.AllOf)
            {
                Check(part, node, at, problems);
            }
        }

        switch (schema.Type)
        {
            case "object":
                if (node is not JsonObject obj)
                {
                    problems.Add($"{at} is {Kind(node)}, not an object");
                    return;
                }

                foreach (var required in schema.Required.Where(r => !obj.ContainsKey(r)))
                {
                    problems.Add($"{at}.{required} is required");
                }

                foreach (var (name, value) in obj)
                {
                    if (schema.Properties.TryGetValue(name, out var property))
                    {
                        Check(property, value, $"{at}.{name}", problems);
                    }
                    else if (schema.AdditionalPropertiesAllowed == false)
                    {
                        problems.Add($"{at}.{name} is not a member of the schema");
                    }
                }

                break;
            case "array":
                if (node is not JsonArray array)
                {
                    problems.Add($"{at} is {Kind(node)}, not an array");
                    return;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    if (schema.Items is { } items)
                    {
                        Check(items, array[i], $"{at}[{i}]", problems);
                    }
                }

                break;
            case "string":
                if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                {
                    problems.Add($"{at} is {Kind(node)}, not a string");
                    return;
                }

                var text = v.GetValue<string>();
                if (schema.Enum.Count > 0 && !schema.Enum.OfType<OpenApiString>().Any(e => e.Value == text))
                {
                    problems.Add($"{at} is '{text}', not one of {string.Join(", ", schema.Enum.OfType<OpenApiString>().Select(e => e.Value))}");
                }

                if (schema.MaxLength is { } max && text.Length > max)
                {
                    problems.Add($"{at} is {text.Length} characters, more than {max}");
                }

                break;
            case "boolean":
                if (node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    problems.Add($"{at} is {Kind(node)}, not a boolean");
                }

                break;
            case "integer":
                if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<long>(out _))
                {
                    problems.Add($"{at} is {Kind(node)}, not an integer");
                }

                break;
            case "number":
                if (node.GetValueKind() != JsonValueKind.Number)
                {
                    problems.Add($"{at} is {Kind(node)}, not a number");
                }

                break;
        }
    }

    /// <summary>
    /// The example of a response (resolved from components/examples), as JSON typed by the response's schema: the
    /// reader keeps an example's scalars as strings when it has no schema at hand, so the schema says which are numbers.
    /// </summary>
    public static JsonObject Example(OpenApiOperation operation, string status)
    {
        var media = operation.Responses[status].Content["application/json"];
        var example = media.Examples.Count > 0 ? media.Examples.Values.First().Value : media.Example;
        return Typed(example, media.Schema)!.AsObject();
    }

    private static JsonNode? Typed(IOpenApiAny any, OpenApiSchema? schema)
    {
        schema = Effective(schema, any);
        switch (any)
        {
            case OpenApiNull:
                return null;
            case OpenApiObject obj:
                var result = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    OpenApiSchema? property = null;
                    schema?.Properties.TryGetValue(name, out property);
                    result[name] = Typed(value, property);
                }

                return result;
            case OpenApiArray array:
                return new JsonArray([.. array.Select(item => Typed(item, schema?.Items))]);
            case OpenApiString text:
                return schema?.Type switch
                {
                    "integer" when long.TryParse(text.Value, out var l) => JsonValue.Create(l),
                    "number" when double.TryParse(text.Value, System.Globalization.CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
                    "boolean" when bool.TryParse(text.Value, out var b) => JsonValue.Create(b),
                    _ => JsonValue.Create(text.Value),
                };
            case OpenApiBoolean b:
                return JsonValue.Create(b.Value);
            case OpenApiInteger i:
                return JsonValue.Create(i.Value);
            case OpenApiLong l:
                return JsonValue.Create(l.Value);
            case OpenApiDouble d:
                return JsonValue.Create(d.Value);
            default:
                using (var text = new StringWriter())
                {
                    any.Write(new OpenApiJsonWriter(text), Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0);
                    return JsonNode.Parse(text.ToString());
                }
        }
    }

    /// <summary>The schema that describes <paramref name="any"/>: allOf merged, the oneOf/anyOf branch of the right kind.</summary>
    private static OpenApiSchema? Effective(OpenApiSchema? schema, IOpenApiAny any)
    {
        if (schema is null)
        {
            return null;
        }

        var branches = schema.OneOf.Concat(schema.AnyOf).ToList();
        if (branches.Count > 0)
        {
            var kind = any is OpenApiObject ? "object" : any is OpenApiArray ? "array" : null;
            return branches.FirstOrDefault(b => kind is null ? b.Type is not ("object" or "array") : b.Type == kind) ?? branches[0];
        }

        if (schema.AllOf.Count > 0)
        {
            var merged = new OpenApiSchema { Type = "object" };
            foreach (var part in schema.AllOf.Prepend(schema))
            {
                foreach (var (name, property) in part.Properties)
                {
                    merged.Properties[name] = property;
                }
            }

            return merged;
        }

        return schema;
    }

    public OpenApiSchema Schema(string name) => Document.Components.Schemas[name];

    private static string Kind(JsonNode node) => node.GetValueKind().ToString().ToLowerInvariant();
}
