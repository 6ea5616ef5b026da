using System.Collections.Concurrent;
using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests;

/// <summary>zdp-task end to end in this process: the agent's variables in, the hosting layer on the simulated platform, the log out.</summary>
public sealed class TaskRunnerTests : IDisposable
{
    private const string AwsConnection = "0b8d6a4e-36a4-4bbd-9c83-7b7c0e4f1d2a";
    private const string AwsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string AzureConnection = "5e1e2c7a-8d1b-4c4f-9a51-2f0d3b6e7a90";

    private readonly TempDirectory _sources = new();
    private readonly TempDirectory _agentTemp = new();
    private readonly StringWriter _stdout = new();
    private readonly HttpClient _http = new();

    /// <summary>What the runner set in its process environment (null: removed), and what a file-valued variable's file held then.</summary>
    private readonly ConcurrentDictionary<string, string?> _processVariables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _fileContents = new(StringComparer.Ordinal);

    public void Dispose()
    {
        _sources.Dispose();
        _agentTemp.Dispose();
        _http.Dispose();
    }

    private Agent Job() => new Agent()
        .Variable("System.DefaultWorkingDirectory", _sources.Path)
        .Variable("Agent.TempDirectory", _agentTemp.Path)
        .Variable("Build.BuildId", "42");

    private async Task<(int ExitCode, IReadOnlyList<LoggedCommand> Commands)> RunAsync(Agent agent)
    {
        var context = new TaskContext(agent.Environment(), _stdout, _http, TimeProvider.System, (name, value) =>
        {
            _processVariables[name] = value;
            if (name.EndsWith("_FILE", StringComparison.Ordinal) && value is not null)
            {
                _fileContents[name] = File.ReadAllText(value);
            }
        });
        var exitCode = await new TaskRunner(context).RunAsync(CancellationToken.None);
        return (exitCode, LoggedCommand.Parse(_stdout.ToString()));
    }

    private static string Output(IReadOnlyList<LoggedCommand> commands, string name) =>
        Assert.Single(commands, c => c.Name == "task.setvariable" && c.Properties["variable"] == name).Data;

    private static string Summary(IReadOnlyList<LoggedCommand> commands) =>
        File.ReadAllText(Assert.Single(commands, c => c.Name == "task.uploadsummary").Data);

    [Fact]
    public async Task A_healthy_deploy_promotes_with_a_group_and_progress_per_step_and_sets_the_output_variables()
    {
        _sources.Write("zdp.yml", Specs.Canary());
        var (exitCode, commands) = await RunAsync(Job().Input("command", "deploy"));

        Assert.Equal(0, exitCode);
        Assert.Equal("success", Output(commands, "outcome"));
        Assert.StartsWith("shop-", Output(commands, "deploymentId"));
        Assert.All(commands.Where(c => c.Name == "task.setvariable"), c => Assert.Equal("true", c.Properties["isoutput"]));
        var lines = _stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var groups = lines.Where(l => l.StartsWith("##[group]", StringComparison.Ordinal)).ToList();
        Assert.Contains("##[group]step 2/4: set candidate weight to 20 %", groups);
        Assert.Contains("##[group]step 3/4: gate 'error-rate' on candidate", groups);
        Assert.Equal(groups.Count, lines.Count(l => l == "##[endgroup]"));
        var progress = commands.Where(c => c.Name == "task.setprogress").Select(c => int.Parse(c.Properties["value"])).ToList();
        Assert.Equal(progress.Order(), progress);
        Assert.Equal(100, progress[^1]);
        Assert.Contains(lines, l => l.Contains("promoted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_summary_is_a_markdown_file_in_the_agents_temp_directory_uploaded_by_absolute_path()
    {
        _sources.Write("zdp.yml", Specs.Canary());
        var (_, commands) = await RunAsync(Job());

        var path = Assert.Single(commands, c => c.Name == "task.uploadsummary").Data;
        Assert.True(Path.IsPathFullyQualified(path));
        Assert.StartsWith(_agentTemp.Path, path);
        var summary = Summary(commands);
        Assert.StartsWith("## ✅ zdp deploy: shop — promoted", summary);
        Assert.Contains("| error-rate | ✅ passed |", summary);
        Assert.Contains("| 2 | set candidate weight to 20 % | done |", summary);
        // Azure DevOps renders no Mermaid in a build summary: the timeline table carries the weights instead.
        Assert.DoesNotContain("mermaid", summary);
        Assert.Contains("| 20 % |", summary);
    }

    [Fact]
    public async Task A_failing_gate_rolls_back_with_an_error_issue_and_the_summary_says_why()
    {
        _sources.Write("deploy/zdp.yml", Specs.Canary(candidateErrorRate: 0.5));
        var (exitCode, commands) = await RunAsync(Job().Input("spec", "deploy/zdp.yml"));

        Assert.Equal(1, exitCode);
        Assert.Equal("rolledBack", Output(commands, "outcome"));
        Assert.Contains(commands, c => c.Name == "task.logissue" && c.Properties["type"] == "error" && c.Data.StartsWith("gate 'error-rate' failed", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Name == "task.logissue" && c.Properties["type"] == "warning" && c.Data.StartsWith("rolling back: ", StringComparison.Ordinal));
        Assert.Contains("> **Rolled back:**", Summary(commands));
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
        Assert.Equal("invalidInput", Output(commands, "outcome"));
        Assert.Equal("", Output(commands, "deploymentId"));
        Assert.DoesNotContain("##[group]", _stdout.ToString());
        Assert.Contains("2 problem(s) with the spec", Summary(commands));
    }

    [Fact]
    public async Task Bad_inputs_are_one_issue_each_and_exit_2()
    {
        var (exitCode, commands) = await RunAsync(Job().Input("command", "ship").Input("output", "xml"));
        Assert.Equal(2, exitCode);
        Assert.Equal(3, commands.Count(c => c.Name == "task.logissue"));
        Assert.Equal("invalidInput", Output(commands, "outcome"));
    }

    [Fact]
    public async Task Spec_variables_fill_the_specs_placeholders_before_it_is_read()
    {
        _sources.Write("zdp.yml", Specs.Canary().Replace("setWeight: 20", "setWeight: ${WEIGHT}", StringComparison.Ordinal));
        var (exitCode, commands) = await RunAsync(Job().Input("vars", "# the first step\nWEIGHT=35"));

        Assert.Equal(0, exitCode);
        Assert.Contains("##[group]step 2/4: set candidate weight to 35 %", _stdout.ToString());
        Assert.DoesNotContain(commands, c => c.Name == "task.logissue");
    }

    [Fact]
    public async Task A_placeholder_without_a_value_is_an_issue_at_its_place_in_the_users_file()
    {
        var spec = _sources.Write("zdp.yml", Specs.Canary().Replace("setWeight: 20", "setWeight: ${WEIGHT}", StringComparison.Ordinal));
        var (exitCode, commands) = await RunAsync(Job().Input("vars", "OTHER=1"));

        Assert.Equal(2, exitCode);
        var issue = Assert.Single(commands, c => c.Name == "task.logissue");
        Assert.Equal((spec, "14", "20"), (issue.Properties["sourcepath"], issue.Properties["linenumber"], issue.Properties["columnnumber"]));
        Assert.StartsWith("placeholder ${WEIGHT} has no value.", issue.Data);
    }

    [Fact]
    public async Task Aws_access_keys_reach_the_default_chain_through_the_process_environment_and_are_never_printed()
    {
        _sources.Write("zdp.yml", Specs.Canary());
        var (exitCode, commands) = await RunAsync(Job()
            .Input("command", "plan").Input("cloud", "aws").Input("awsCredentials", AwsConnection).Input("awsRegion", "eu-west-1")
            .Endpoint(AwsConnection, "UsernamePassword", new Dictionary<string, string> { ["username"] = "AKIAIOSFODNN7EXAMPLE", ["password"] = AwsSecret }));

        Assert.Equal(0, exitCode);
        Assert.Equal(("AKIAIOSFODNN7EXAMPLE", AwsSecret, "eu-west-1"), (_processVariables["AWS_ACCESS_KEY_ID"], _processVariables["AWS_SECRET_ACCESS_KEY"], _processVariables["AWS_REGION"]));
        var lines = _stdout.ToString().Split('\n');
        var firstSecret = Array.FindIndex(lines, l => l.StartsWith("##vso[task.setsecret]", StringComparison.Ordinal));
        Assert.True(firstSecret >= 0 && firstSecret < Array.FindIndex(lines, l => l.Contains("AWS credentials", StringComparison.Ordinal)));
        Assert.Contains(commands, c => c.Name == "task.setsecret" && c.Data == AwsSecret);
        Assert.DoesNotContain(lines, l => l.Contains(AwsSecret, StringComparison.Ordinal) && !l.StartsWith("##vso[task.setsecret]", StringComparison.Ordinal));
        Assert.DoesNotContain(AwsSecret, Summary(commands));
    }

    [Fact]
    public async Task A_workload_identity_connection_becomes_a_federated_token_file_for_the_azure_default_chain()
    {
        const string IdToken = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGk6Ly9BenVyZUFEVG9rZW5FeGNoYW5nZSJ9.c2lnbmF0dXJl";
        await using var server = await OidcServer.StartAsync("job-access-token", AzureConnection, IdToken);
        _sources.Write("zdp.yml", Specs.Canary());
        var (exitCode, commands) = await RunAsync(Job()
            .Input("command", "plan").Input("cloud", "azure").Input("azureSubscription", AzureConnection)
            .Endpoint(AzureConnection, "WorkloadIdentityFederation",
                new Dictionary<string, string> { ["serviceprincipalid"] = "a1b2c3d4-e5f6-4711-8899-aabbccddeeff", ["tenantid"] = "72f988bf-86f1-41af-91ab-2d7cd011db47" },
                new Dictionary<string, string> { ["SubscriptionId"] = "00000000-1111-4222-8333-444444444444" })
            .SystemVssConnection("job-access-token", server.RequestUri));

        Assert.Equal(0, exitCode);
        Assert.Equal(("72f988bf-86f1-41af-91ab-2d7cd011db47", "a1b2c3d4-e5f6-4711-8899-aabbccddeeff", null), (_processVariables["AZURE_TENANT_ID"], _processVariables["AZURE_CLIENT_ID"], _processVariables["AZURE_CLIENT_SECRET"]));
        Assert.Equal(IdToken, _fileContents["AZURE_FEDERATED_TOKEN_FILE"]);
        Assert.StartsWith(_agentTemp.Path, _processVariables["AZURE_FEDERATED_TOKEN_FILE"]);
        Assert.False(File.Exists(_processVariables["AZURE_FEDERATED_TOKEN_FILE"]), "the token file is deleted when the task ends");
        var secrets = commands.Where(c => c.Name == "task.setsecret").Select(c => c.Data).ToList();
        Assert.Contains(IdToken, secrets);
        Assert.Contains("job-access-token", secrets);
        Assert.DoesNotContain(_stdout.ToString().Split('\n'), l => l.Contains(IdToken, StringComparison.Ordinal) && !l.StartsWith("##vso[task.setsecret]", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.Name == "task.logissue");
    }

    [Fact]
    public async Task An_azure_connection_the_agent_did_not_pass_stops_the_task()
    {
        _sources.Write("zdp.yml", Specs.Canary());
        var (exitCode, commands) = await RunAsync(Job().Input("cloud", "azure").Input("azureSubscription", AzureConnection));
        Assert.Equal(2, exitCode);
        Assert.StartsWith("the agent passed no service connection 5e1e2c7a", Assert.Single(commands, c => c.Name == "task.logissue").Data);
    }

    [Fact]
    public async Task Plan_output_is_the_command_lines_and_the_summary_shows_it()
    {
        _sources.Write("zdp.yml", Specs.Canary());
        var (exitCode, commands) = await RunAsync(Job().Input("command", "plan"));

        Assert.Equal(0, exitCode);
        Assert.Contains("plan for shop", _stdout.ToString());
        Assert.StartsWith("## ✅ zdp plan: shop — exit 0\n\n```text\nplan for shop", Summary(commands));
    }
}
