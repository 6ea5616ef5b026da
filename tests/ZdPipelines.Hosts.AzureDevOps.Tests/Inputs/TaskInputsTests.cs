using ZdPipelines.Hosts.AzureDevOps.Inputs;
using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Inputs;

public sealed class TaskInputsTests
{
    [Theory]
    [InlineData("spec", "INPUT_SPEC")]
    [InlineData("azureSubscription", "INPUT_AZURESUBSCRIPTION")]
    [InlineData("my.input name", "INPUT_MY_INPUT_NAME")]
    public void An_input_is_read_from_the_variable_the_agent_names_after_it(string name, string variable)
    {
        Assert.Equal(variable, TaskInputs.VariableName(name));
        var inputs = new TaskInputs(new TaskEnvironment([new(variable, "value")]));
        Assert.Equal("value", inputs.Optional(name));
    }

    [Fact]
    public void An_empty_input_is_absent()
    {
        var inputs = new TaskInputs(new Agent().Input("spec", "  ").Environment());
        Assert.Null(inputs.Optional("spec"));
        Assert.Null(inputs.Optional("never-set"));
    }

    [Fact]
    public void A_missing_required_input_is_one_message_naming_it_and_the_fix()
    {
        var inputs = new TaskInputs(new Agent().Environment());
        var problem = Assert.Throws<TaskInputException>(() => inputs.Required("azureSubscription", "choose a service connection."));
        Assert.Equal("azureSubscription", problem.InputName);
        Assert.Equal("input 'azureSubscription' is required but empty; choose a service connection.", problem.Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("FALSE", false)]
    [InlineData("", true)]
    public void A_boolean_is_true_or_false_in_any_case_and_empty_takes_the_default(string value, bool expected)
    {
        var inputs = new TaskInputs(new Agent().Input("dryRun", value).Environment());
        Assert.Equal(expected, inputs.Boolean("dryRun", defaultValue: true));
    }

    [Fact]
    public void A_boolean_that_is_neither_is_reported_rather_than_read_as_false()
    {
        var inputs = new TaskInputs(new Agent().Input("dryRun", "yes").Environment());
        var problem = Assert.Throws<TaskInputException>(() => inputs.Boolean("dryRun", defaultValue: false));
        Assert.Equal("input 'dryRun' must be true or false, not 'yes'.", problem.Message);
    }

    [Fact]
    public void A_choice_outside_the_options_lists_them()
    {
        var inputs = new TaskInputs(new Agent().Input("output", "xml").Environment());
        var options = new Dictionary<string, int> { ["plain"] = 1, ["json"] = 2 };
        var problem = Assert.Throws<TaskInputException>(() => inputs.Choice("output", options, 1));
        Assert.Equal("input 'output' is 'xml'; use one of: plain, json.", problem.Message);
        Assert.Equal(2, new TaskInputs(new Agent().Input("output", "JSON").Environment()).Choice("output", options, 1));
    }
}
