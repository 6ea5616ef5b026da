using System.Text.Json;
using ZdPipelines.Core.Spec.Schema;

namespace ZdPipelines.Core.Tests.Spec;

/// <summary>schema/zdp.schema.json drives editor completion; it must describe exactly what the reader accepts.</summary>
public sealed class SpecSchemaTests
{
    // The schema for the modules these tests know; the CLI's tests hold schema/zdp.schema.json to the CLI's modules.
    private static readonly JsonElement Schema = JsonDocument.Parse(SpecSchema.Assemble(TestModules.Catalog)).RootElement;

    public static TheoryData<string> Sections => [.. TestModules.Sections.Keys];

    public static TheoryData<string> Enums => [.. TestModules.Enums.Keys];

    [Fact]
    public void The_schema_is_draft_2020_12()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema.GetProperty("$schema").GetString());
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_section_of_the_schema_has_exactly_the_keys_the_reader_accepts(string section)
    {
        var node = Navigate(section);

        var schemaKeys = node.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(TestModules.Sections[section].Order(StringComparer.Ordinal), schemaKeys);
        Assert.False(node.GetProperty("additionalProperties").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Enums))]
    public void Every_enumeration_of_the_schema_has_the_values_the_reader_accepts(string path)
    {
        var values = Navigate(path).GetProperty("enum").EnumerateArray().Select(v => v.GetString());

        Assert.Equal(TestModules.Enums[path], values);
    }

    [Fact]
    public void Every_object_in_the_schema_forbids_additional_properties()
    {
        var open = new List<string>();
        Walk(Schema, "#", open);

        Assert.Empty(open);
    }

    [Fact]
    public void Every_property_in_the_schema_has_a_description()
    {
        var undocumented = new List<string>();
        foreach (var section in TestModules.Sections.Keys)
        {
            foreach (var property in Navigate(section).GetProperty("properties").EnumerateObject())
            {
                var described = property.Value.TryGetProperty("description", out _)
                    || (property.Value.TryGetProperty("$ref", out var target) && Resolve(target.GetString()!).TryGetProperty("description", out _));
                if (!described)
                {
                    undocumented.Add($"{section}.{property.Name}");
                }
            }
        }

        Assert.Empty(undocumented);
    }

    /// <summary>Follows a section path ("gates[].http", "hooks.update[]") through properties, items and $refs.</summary>
    private static JsonElement Navigate(string path)
    {
        var node = Follow(Schema);
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var isList = segment.EndsWith("[]", StringComparison.Ordinal);
            var key = isList ? segment[..^2] : segment;
            Assert.True(node.TryGetProperty("properties", out var properties), $"no properties above '{key}' in {path}");
            Assert.True(properties.TryGetProperty(key, out var child), $"the schema has no '{key}' in {path}");
            node = Follow(child);
            if (isList)
            {
                node = Follow(node.GetProperty("items"));
            }
        }

        return node;
    }

    private static JsonElement Follow(JsonElement node) =>
        node.TryGetProperty("$ref", out var target) ? Follow(Resolve(target.GetString()!)) : node;

    private static JsonElement Resolve(string reference)
    {
        Assert.StartsWith("#/$defs/", reference, StringComparison.Ordinal);
        return Schema.GetProperty("$defs").GetProperty(reference["#/$defs/".Length..]);
    }

    private static void Walk(JsonElement node, string where, List<string> open)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                var isObjectSchema = node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "object";
                if (isObjectSchema && !(node.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False))
                {
                    open.Add(where);
                }

                foreach (var property in node.EnumerateObject())
                {
                    Walk(property.Value, $"{where}/{property.Name}", open);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in node.EnumerateArray())
                {
                    Walk(item, $"{where}/{i++}", open);
                }

                break;
            default:
                break;
        }
    }
}
