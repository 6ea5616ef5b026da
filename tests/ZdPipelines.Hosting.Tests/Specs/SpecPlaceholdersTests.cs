using ZdPipelines.Hosting.Specs;

namespace ZdPipelines.Hosting.Tests.Specs;

public sealed class SpecPlaceholdersTests
{
    [Fact]
    public void Placeholders_are_filled_and_the_line_count_is_kept()
    {
        var result = SpecPlaceholders.Substitute("name: shop\nimage: shop:${VERSION}\nurl: ${HOST}/health\n", Vars(("VERSION", "1.4.2"), ("HOST", "https://x")));

        Assert.Empty(result.Missing);
        Assert.Equal("name: shop\nimage: shop:1.4.2\nurl: https://x/health\n", result.Text);
    }

    [Fact]
    public void A_placeholder_without_a_value_is_reported_with_its_name_line_and_column()
    {
        var result = SpecPlaceholders.Substitute("name: shop\nimage: shop:${VERSION}\n", Vars());

        Assert.Equal(new MissingVariable("VERSION", 2, 13), Assert.Single(result.Missing));
    }

    [Fact]
    public void Two_dollars_write_a_literal_placeholder()
    {
        var result = SpecPlaceholders.Substitute("run: echo $${HOME} ${A}", Vars(("A", "a")));

        Assert.Empty(result.Missing);
        Assert.Equal("run: echo ${HOME} a", result.Text);
    }

    private static Dictionary<string, string> Vars(params (string Name, string Value)[] vars) => vars.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
}
