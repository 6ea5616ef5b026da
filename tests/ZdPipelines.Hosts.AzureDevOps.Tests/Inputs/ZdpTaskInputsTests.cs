using System.Text.Json;
using ZdPipelines.Hosts.AzureDevOps.Inputs;
using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Inputs;

public sealed class ZdpTaskInputsTests : IDisposable
{
    private readonly TempDirectory _sources = new();

    public void Dispose() => _sources.Dispose();

    private Agent Job() => new Agent().Variable("System.DefaultWorkingDirectory", _sources.Path);

    [Fact]
    public void The_inputs_are_read_with_the_spec_taken_from_the_repository_root()
    {
        var spec = _sources.Write("deploy/zdp.yml", "name: x");
        var inputs = ZdpTaskInputs.Read(Job()
            .Input("command", "plan").Input("spec", "deploy/zdp.yml").Input("cloud", "aws")
            .Input("awsCredentials", "0b8d6a4e-36a4-4bbd-9c83-7b7c0e4f1d2a").Input("awsRegion", "eu-west-1")
            .Input("vars", "TAG=7").Input("output", "json").Environment());

        Assert.Equal(
            new ZdpTaskInputs(ZdpCommand.Plan, spec, CloudConnection.Aws, null, "0b8d6a4e-36a4-4bbd-9c83-7b7c0e4f1d2a", "eu-west-1", inputs.SpecVariables, LogFormat.Json),
            inputs);
        Assert.Equal("7", inputs.SpecVariables["TAG"]);
    }

    [Fact]
    public void Unset_inputs_take_the_defaults_of_task_json()
    {
        var spec = _sources.Write("zdp.yml", "name: x");
        var inputs = ZdpTaskInputs.Read(Job().Environment());
        Assert.Equal((ZdpCommand.Deploy, spec, CloudConnection.None, LogFormat.Plain), (inputs.Command, inputs.SpecPath, inputs.Cloud, inputs.Output));
    }

    [Fact]
    public void Connections_of_the_other_cloud_are_ignored()
    {
        _sources.Write("zdp.yml", "name: x");
        var inputs = ZdpTaskInputs.Read(Job().Input("cloud", "none").Input("azureSubscription", "a").Input("awsCredentials", "b").Environment());
        Assert.Null(inputs.AzureConnectionId);
        Assert.Null(inputs.AwsConnectionId);
    }

    [Fact]
    public void Every_bad_input_is_reported_at_once_each_naming_its_input()
    {
        var problems = Assert.Throws<TaskInputProblems>(() => ZdpTaskInputs.Read(Job()
            .Input("command", "ship").Input("spec", "missing.yml").Input("cloud", "azure").Input("vars", "oops").Environment()));

        Assert.Equal(["command", "spec", "azureSubscription", "vars"], problems.Problems.Select(p => p.InputName));
        Assert.Contains($"there is no file {Path.Combine(_sources.Path, "missing.yml")}", problems.Problems[1].Message);
    }

    [Fact]
    public void A_spec_that_is_a_directory_asks_for_the_file_in_it()
    {
        // An empty filePath input reaches the task as the repository root.
        var problems = Assert.Throws<TaskInputProblems>(() => ZdpTaskInputs.Read(Job().Input("spec", _sources.Path).Environment()));
        Assert.Equal($"input 'spec' is the directory {_sources.Path}; name the zdp.yml file in it, e.g. deploy/zdp.yml.", Assert.Single(problems.Problems).Message);
    }

    [Fact]
    public void The_inputs_read_are_exactly_the_inputs_of_task_json()
    {
        using var task = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "azure-devops", "ZdpTask", "task.json")));
        var names = task.RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString());
        Assert.Equal(names, ZdpTaskInputs.InputNames);
    }
}
