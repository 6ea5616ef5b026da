using System.Text.Json.Nodes;
using ZdPipelines.AzureEmulator.Swagger;

namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>
/// Answer bodies made from an operation's official example: the example's body, deep-copied, with every occurrence of the
/// example's own parameter values (its subscription, resource group, app and slot names) replaced by the request's. The
/// handlers then set the members that carry emulated state. No shape is written by hand.
/// </summary>
internal static class ExampleBodies
{
    public static JsonObject Body(SwaggerOperation operation, IReadOnlyDictionary<string, string> actual, string status = "200")
    {
        var example = operation.Example(status) ?? throw new InvalidOperationException($"{operation} has no example answer {status} to shape it from.");
        var body = example["body"]?.DeepClone() as JsonObject ?? throw new InvalidOperationException($"the {status} example of {operation} has no body.");
        var replacements = new List<(string From, string To)>();
        if (operation.ExampleParameters() is { } parameters)
        {
            foreach (var (name, value) in parameters)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0 && actual.TryGetValue(name, out var to) && name != "api-version")
                {
                    replacements.Add((text, to));
                }
            }
        }

        // Longer first, so "sitef6141" inside a longer example value is not replaced before the longer value itself.
        replacements.Sort((a, b) => b.From.Length.CompareTo(a.From.Length));
        Replace(body, replacements);
        return body;
    }

    private static void Replace(JsonNode node, List<(string From, string To)> replacements)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (obj[name] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        obj[name] = Substitute(text, replacements);
                    }
                    else if (obj[name] is { } child)
                    {
                        Replace(child, replacements);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        array[i] = Substitute(text, replacements);
                    }
                    else if (array[i] is { } child)
                    {
                        Replace(child, replacements);
                    }
                }

                break;
        }
    }

    private static string Substitute(string text, List<(string From, string To)> replacements)
    {
        foreach (var (from, to) in replacements)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        return text;
    }
}
