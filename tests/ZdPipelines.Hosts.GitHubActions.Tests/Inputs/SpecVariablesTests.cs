using ZdPipelines.Hosts.GitHubActions.Inputs;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Inputs;

public sealed class SpecVariablesTests
{
    [Fact]
    public void Vars_are_name_value_lines_with_blank_lines_and_comments_ignored()
    {
        var reader = InputReaderTests.Reader();

        var vars = SpecVariables.Parse("# the release\nVERSION = 1.4.2\n\nIMAGE=ghcr.io/octo/shop:1.4.2=x\n", reader);

        Assert.Empty(reader.Problems);
        Assert.Equal("1.4.2", vars["VERSION"]);
        Assert.Equal("ghcr.io/octo/shop:1.4.2=x", vars["IMAGE"]);
    }

    [Fact]
    public void A_line_without_a_name_and_a_repeated_name_are_problems_of_the_vars_input()
    {
        var reader = InputReaderTests.Reader();

        SpecVariables.Parse("VERSION=1\n1BAD=x\njust text\nVERSION=2", reader);

        Assert.Equal(
            ["line 2 ('1BAD') is not NAME=value with NAME of letters, digits and _", "line 3 ('just text') is not NAME=value with NAME of letters, digits and _", "line 4 sets VERSION a second time"],
            reader.Problems.Select(p => p.Problem));
        Assert.All(reader.Problems, p => Assert.Equal("vars", p.Input));
    }

    [Fact]
    public void Placeholders_are_filled_and_the_line_count_is_kept()
    {
        var result = SpecVariables.Substitute("name: shop\nimage: shop:${VERSION}\nurl: ${HOST}/health\n", Vars(("VERSION", "1.4.2"), ("HOST", "https://x")));

        Assert.Empty(result.Missing);
        Assert.Equal("name: shop\nimage: shop:1.4.2\nurl: https://x/health\n", result.Text);
    }

    [Fact]
    public void A_placeholder_without_a_value_is_reported_with_its_name_line_and_column()
    {
        var result = SpecVariables.Substitute("name: shop\nimage: shop:${VERSION}\n", Vars());

        Assert.Equal(new MissingVariable("VERSION", 2, 13), Assert.Single(result.Missing));
    }

    [Fact]
    public void Two_dollars_write_a_literal_placeholder()
    {
        var result = SpecVariables.Substitute("run: echo $${HOME} ${A}", Vars(("A", "a")));

        Assert.Empty(result.Missing);
        Assert.Equal("run: echo ${HOME} a", result.Text);
    }

    private static Dictionary<string, string> Vars(params (string Name, string Value)[] vars) => vars.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
}
