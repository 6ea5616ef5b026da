using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests;

/// <summary>The interim runner end to end in this process: inputs in, the real zdp CLI on the simulated platform, commands out.</summary>
public sealed class CliTaskRunnerTests : IDisposable
{
    private readonly TempDirectory _sources = new();
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _sources.Dispose();
        _http.Dispose();
    }

    private Agent Job() => new Agent().Variable("System.DefaultWorkingDirectory", _sources.Path);

    private async Task<(int ExitCode, IReadOnlyList<LoggedCommand> Commands)> RunAsync(Agent agent)
    {
        var exitCode = await new CliTaskRunner(agent.Environment(), _stdout, _stderr, _http).RunAsync(CancellationToken.None);
        return (exitCode, LoggedCommand.Parse(_stdout.ToString()));
    }

    private static string Outcome(IReadOnlyList<LoggedCommand> commands) =>
        Assert.Single(commands, c => c.Name == "task.setvariable" && c.Properties["variable"] == "outcome").Data;

    [Fact]
    public async Task A_healthy_deploy_promotes_and_sets_the_outcome_output_variable()
    {
        _sources.Write("zdp.yml", Specs.Canary());
        var (exitCode, commands) = await RunAsync(Job().Input("command", "deploy"));

        Assert.Equal(0, exitCode);
        Assert.Equal("success", Outcome(commands));
        Assert.Equal("true", Assert.Single(commands, c => c.Name == "task.setvariable").Properties["isoutput"]);
        Assert.Contains("promoted", _stdout.ToString());
    }

    [Fact]
    public async Task A_failing_gate_rolls_back_and_the_outcome_says_so()
    {
        _sources.Write("deploy/zdp.yml", Specs.Canary(candidateErrorRate: 0.5));
        var (exitCode, commands) = await RunAsync(Job().Input("spec", "deploy/zdp.yml"));
        Assert.Equal(1, exitCode);
        Assert.Equal("rolledBack", Outcome(commands));
    }

    [Fact]
    public async Task Each_spec_error_is_an_issue_with_its_file_line_and_column_and_nothing_runs()
    {
        var spec = _sources.Write("zdp.yml", Specs.Canary().Replace("setWeight: 20", "setWeight: 120", StringComparison.Ordinal).Replace("count: 2", "count: many", StringComparison.Ordinal));
        var (exitCode, commands) = await RunAsync(Job());

        Assert.Equal(2, exitCode);
        var issues = commands.Where(c => c.Name == "task.logissue").ToList();
        Assert.Equal(2, issues.Count);
        Assert.All(issues, i => Assert.Equal(("error", spec, "zdp-spec"), (i.Properties["type"], i.Properties["sourcepath"], i.Properties["code"])));
        Assert.Equal(["14", "21"], issues.Select(i => i.Properties["linenumber"]));
        Assert.Equal(["20", "12"], issues.Select(i => i.Properties["columnnumber"]));
        Assert.StartsWith("strategy.canary.steps[0].setWeight: ", issues[0].Data);
        Assert.Equal("invalidInput", Outcome(commands));
        Assert.DoesNotContain("started", _stdout.ToString());
    }

    [Fact]
    public async Task Bad_inputs_are_one_issue_each_and_exit_2()
    {
        var (exitCode, commands) = await RunAsync(Job().Input("command", "ship").Input("output", "xml"));
        Assert.Equal(2, exitCode);
        Assert.Equal(3, commands.Count(c => c.Name == "task.logissue"));
        Assert.Equal("invalidInput", Outcome(commands));
    }

    [Fact]
    public async Task Spec_variables_are_refused_until_the_spec_can_take_them()
    {
        _sources.Write("zdp.yml", Specs.Canary());
        var (exitCode, commands) = await RunAsync(Job().Input("vars", "TAG=1"));
        Assert.Equal(2, exitCode);
        Assert.StartsWith("input 'vars': ", Assert.Single(commands, c => c.Name == "task.logissue").Data);
    }

    [Fact]
    public async Task An_azure_connection_is_checked_and_a_bad_one_stops_the_task()
    {
        _sources.Write("zdp.yml", Specs.Canary());
        var (exitCode, commands) = await RunAsync(Job().Input("cloud", "azure").Input("azureSubscription", "5e1e2c7a-8d1b-4c4f-9a51-2f0d3b6e7a90"));
        Assert.Equal(2, exitCode);
        Assert.StartsWith("the agent passed no service connection 5e1e2c7a", Assert.Single(commands, c => c.Name == "task.logissue").Data);
    }
}
