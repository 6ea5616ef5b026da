using ZdPipelines.Hosts.AzureDevOps.Inputs;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Inputs;

public sealed class SpecVariablesTests
{
    [Fact]
    public void Each_line_is_a_name_and_everything_after_the_first_equals_sign()
    {
        var variables = SpecVariables.Parse("IMAGE_TAG=1.4.2\r\n\n# a comment\n  QUERY = a=b c \nEMPTY=");
        Assert.Equal(new Dictionary<string, string> { ["IMAGE_TAG"] = "1.4.2", ["QUERY"] = " a=b c ", ["EMPTY"] = "" }, variables);
    }

    [Fact]
    public void Nothing_given_is_no_variables()
    {
        Assert.Empty(SpecVariables.Parse(null));
        Assert.Empty(SpecVariables.Parse("\n  \n"));
    }

    [Theory]
    [InlineData("A=1\nno equals sign", "input 'vars' line 2 has no '=': write NAME=value, e.g. IMAGE_TAG=1.4.2.")]
    [InlineData("1ABC=x", "input 'vars' line 1: '1ABC' is not a variable name; use letters, digits and '_', starting with a letter or '_'.")]
    [InlineData("A=1\n\nA=2", "input 'vars' line 3 sets A again; keep one line per name.")]
    public void A_bad_line_is_reported_with_its_number(string text, string message)
    {
        var problem = Assert.Throws<TaskInputException>(() => SpecVariables.Parse(text));
        Assert.Equal("vars", problem.InputName);
        Assert.Equal(message, problem.Message);
    }
}
