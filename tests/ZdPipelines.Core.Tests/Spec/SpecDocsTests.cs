using System.Text.RegularExpressions;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Tests.Spec;

/// <summary>docs/spec.md is the reference users copy from; its complete examples must read as valid specs.</summary>
public sealed partial class SpecDocsTests
{
    [GeneratedRegex(@"```yaml\n(name:.*?)```", RegexOptions.Singleline)]
    private static partial Regex CompleteExample();

    public static TheoryData<string> Examples => [.. ExampleTexts()];

    private static IEnumerable<string> ExampleTexts() =>
        CompleteExample().Matches(RepositoryFiles.Read("docs/spec.md").ReplaceLineEndings("\n")).Select(m => m.Groups[1].Value);

    [Fact]
    public void The_reference_has_a_complete_example_for_each_strategy()
    {
        var kinds = ExampleTexts().Select(yaml => SpecReader.Read(yaml, "docs/spec.md", TestModules.Catalog).Spec?.Strategy.Kind).Order(StringComparer.Ordinal);

        Assert.Equal(["blueGreen", "canary", "rolling"], kinds);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_complete_example_in_the_reference_is_valid(string yaml)
    {
        var result = SpecReader.Read(yaml, "docs/spec.md", TestModules.Catalog);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void The_reference_documents_every_key_the_reader_accepts()
    {
        var doc = RepositoryFiles.Read("docs/spec.md");

        var undocumented = TestModules.Sections.Values.SelectMany(keys => keys).Distinct()
            .Where(key => !doc.Contains($"`{key}`", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(undocumented);
    }
}
