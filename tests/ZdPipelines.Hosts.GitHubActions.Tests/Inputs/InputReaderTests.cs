using ZdPipelines.Hosts.GitHubActions.Inputs;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Inputs;

public sealed class InputReaderTests
{
    [Theory]
    [InlineData("github-token", "INPUT_GITHUB-TOKEN")]
    [InlineData("environment url", "INPUT_ENVIRONMENT_URL")]
    [InlineData("aws-role-arn", "INPUT_AWS-ROLE-ARN")]
    public void The_variable_name_keeps_hyphens_and_turns_only_spaces_into_underscores(string input, string variable)
    {
        Assert.Equal(variable, InputReader.VariableName(input));
    }

    [Fact]
    public void Values_are_trimmed_and_a_blank_value_counts_as_not_given()
    {
        var reader = Reader(("INPUT_SPEC", "  deploy/zdp.yml \n"), ("INPUT_ENVIRONMENT", "   "));

        Assert.Equal("deploy/zdp.yml", reader.Optional("spec"));
        Assert.Null(reader.Optional("environment"));
        Assert.Null(reader.Optional("missing"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData(" FALSE ", false)]
    public void Booleans_are_the_six_spellings_the_toolkit_accepts(string value, bool expected)
    {
        var reader = Reader(("INPUT_SUMMARY", value));

        Assert.Equal(expected, reader.Boolean("summary", defaultValue: !expected));
        Assert.Empty(reader.Problems);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("tRUE")]
    public void Anything_else_is_one_problem_naming_the_input(string value)
    {
        var reader = Reader(("INPUT_SUMMARY", value));

        reader.Boolean("summary", defaultValue: true);

        var problem = Assert.Single(reader.Problems);
        Assert.Equal($"input 'summary' is '{value}', which is not a boolean. Fix: write true or false.", problem.ToString());
    }

    [Fact]
    public void A_missing_required_input_is_a_problem_with_its_fix()
    {
        var reader = Reader();

        reader.Required("environment", "name the GitHub environment.");

        Assert.Equal("input 'environment' is required but was not given. Fix: name the GitHub environment.", Assert.Single(reader.Problems).ToString());
    }

    internal static InputReader Reader(params (string Name, string Value)[] variables) =>
        new(variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));
}
