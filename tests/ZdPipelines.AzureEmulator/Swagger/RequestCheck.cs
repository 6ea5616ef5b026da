using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi.Any;

namespace ZdPipelines.AzureEmulator.Swagger;

/// <summary>A request that does not fit the official description: what was sent and what is wrong with it.</summary>
public sealed record SwaggerViolation(string Method, string PathAndQuery, string? OperationId, string Problem)
{
    public override string ToString() => $"{Method} {PathAndQuery} ({OperationId ?? "no operation"}): {Problem}";
}

/// <summary>
/// Checks one request against the served descriptions: an operation with this path template and method exists, the
/// <c>api-version</c> is the description's, required query parameters are there and undeclared ones are not, values fit their
/// type, enum and pattern, and the body is present when required and fits its schema (required members, types, no undeclared
/// or read-only members).
/// </summary>
public static class RequestCheck
{
    public static (SwaggerMatch? Match, IReadOnlyList<string> Problems) Check(
        SwaggerCatalog catalog, string method, string path, IReadOnlyDictionary<string, string> query, string? body)
    {
        var problems = new List<string>();
        var match = catalog.Match(method, path);
        var described = catalog.MethodsFor(path);
        if (match is not null && described.Count > 0 && !described.Contains(match.Operation.Method))
        {
            // Only a less specific (generic) template fits this method: the path is one whose methods are described elsewhere.
            match = null;
        }

        if (match is null)
        {
            var others = described;
            problems.Add(others.Count > 0
                ? $"the path is described for {string.Join(", ", others)}, not {method}"
                : "no operation in the served descriptions has this path");
            return (null, problems);
        }

        var operation = match.Operation;
        if (!query.TryGetValue("api-version", out var apiVersion))
        {
            problems.Add("api-version is missing");
        }
        else if (apiVersion != operation.ApiVersion)
        {
            problems.Add($"api-version {apiVersion} is not the described {operation.ApiVersion}");
        }

        foreach (var parameter in operation.Parameters)
        {
            switch (parameter.In)
            {
                case "query" when parameter.Name != "api-version":
                    if (query.TryGetValue(parameter.Name, out var value))
                    {
                        CheckValue(parameter, value, problems);
                    }
                    else if (parameter.Required)
                    {
                        problems.Add($"required query parameter '{parameter.Name}' is missing");
                    }

                    break;
                case "path":
                    if (match.PathValues.TryGetValue(parameter.Name, out var segment))
                    {
                        CheckValue(parameter, segment, problems);
                    }

                    break;
            }
        }

        foreach (var name in query.Keys)
        {
            if (!operation.Parameters.Any(p => p.In == "query" && p.Name == name))
            {
                problems.Add($"query parameter '{name}' is not described");
            }
        }

        var hasBody = !string.IsNullOrEmpty(body);
        if (operation.Body is null)
        {
            if (hasBody)
            {
                problems.Add("the operation takes no body, but one was sent");
            }
        }
        else if (!hasBody)
        {
            if (operation.Body.Required)
            {
                problems.Add($"the required body ({operation.Body.Schema.Name}) is missing");
            }
        }
        else
        {
            JsonNode? json = null;
            try
            {
                json = JsonNode.Parse(body!);
            }
            catch (System.Text.Json.JsonException e)
            {
                problems.Add($"the body is not JSON: {e.Message}");
            }

            if (json is not null)
            {
                operation.Body.Schema.Check(json, "body", SchemaCheckMode.Request, problems);
            }
        }

        return (match, problems);
    }

    private static void CheckValue(SwaggerParameter parameter, string value, List<string> problems)
    {
        var schema = parameter.Schema;
        if (schema is null)
        {
            return;
        }

        var ok = schema.Type switch
        {
            "boolean" => value is "true" or "false",
            "integer" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "number" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ => true,
        };
        if (!ok)
        {
            problems.Add($"{parameter.In} parameter '{parameter.Name}' = '{value}' is not a {schema.Type}");
        }

        if (schema.Enum.Count > 0 && !schema.Enum.OfType<OpenApiString>().Any(e => e.Value == value))
        {
            problems.Add($"{parameter.In} parameter '{parameter.Name}' = '{value}' is not one of {string.Join(", ", schema.Enum.OfType<OpenApiString>().Select(e => e.Value))}");
        }

        if (schema.Pattern is { } pattern && !Regex.IsMatch(value, pattern))
        {
            problems.Add($"{parameter.In} parameter '{parameter.Name}' = '{value}' does not match {pattern}");
        }

        if ((schema.MinLength is { } min && value.Length < min) || (schema.MaxLength is { } max && value.Length > max))
        {
            problems.Add($"{parameter.In} parameter '{parameter.Name}' = '{value}' has a length outside {schema.MinLength}-{schema.MaxLength}");
        }
    }
}
