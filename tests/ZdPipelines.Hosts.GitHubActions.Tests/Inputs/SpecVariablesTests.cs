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
}
