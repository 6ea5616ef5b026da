using System.Text.Json;
using ZdPipelines.Cli;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Tests.Spec;
using ZdPipelines.Platforms.Azure.Gates;
using ZdPipelines.Platforms.Azure.Spec;

namespace ZdPipelines.Platforms.Azure.Tests.Spec;

/// <summary>The azureAppService block's and the azureMonitor gate's schema fragments describe exactly what their modules read.</summary>
public sealed class AzureAppServiceSchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(SpecSchema.Assemble(ZdpModules.All)).RootElement;

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Sections =
        new[] { AzureAppServicePlatformModule.Sections, AzureMonitorGateSourceModule.Sections }
            .SelectMany(t => t).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public static TheoryData<string> SectionPaths => [.. Sections.Keys];

    public static TheoryData<string> EnumPaths => [.. AzureMonitorGateSourceModule.Enums.Keys];

    [Theory]
    [MemberData(nameof(SectionPaths))]
    public void Every_azure_section_of_the_schema_has_exactly_the_keys_the_module_reads(string section)
    {
        var node = Navigate(section);

        Assert.Equal(Sections[section].Order(StringComparer.Ordinal), node.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.False(node.GetProperty("additionalProperties").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(EnumPaths))]
    public void Every_azure_enumeration_of_the_schema_has_the_values_the_module_reads(string path)
    {
        Assert.Equal(AzureMonitorGateSourceModule.Enums[path], Navigate(path).GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public void The_reference_documents_every_azure_key()
    {
        var doc = RepositoryFiles.Read("docs/spec.md");

        var undocumented = Sections.Values.SelectMany(k => k).Distinct().Where(key => !doc.Contains($"`{key}`", StringComparison.Ordinal)).ToList();

        Assert.Empty(undocumented);
    }

    /// <summary>Follows a section path ("gates[].azureMonitor") through properties, items and $refs.</summary>
    private static JsonElement Navigate(string path)
    {
        var node = Follow(Schema);
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var isList = segment.EndsWith("[]", StringComparison.Ordinal);
            node = Follow(node.GetProperty("properties").GetProperty(isList ? segment[..^2] : segment));
            if (isList)
            {
                node = Follow(node.GetProperty("items"));
            }
        }

        return node;
    }

    private static JsonElement Follow(JsonElement node) =>
        node.TryGetProperty("$ref", out var target) ? Follow(Schema.GetProperty("$defs").GetProperty(target.GetString()!["#/$defs/".Length..])) : node;
}
