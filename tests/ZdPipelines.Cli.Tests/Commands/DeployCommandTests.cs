using System.Text.Json;
using ZdPipelines.Cli.Tests.Support;

namespace ZdPipelines.Cli.Tests.Commands;

public sealed class DeployCommandTests
{
    [Fact]
    public async Task A_healthy_simulated_canary_is_promoted_with_exit_0()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary());

        var result = await Zdp.RunAsync("deploy", "-f", spec);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("outcome: promoted", result.Stdout);
        Assert.Contains("error-rate: passed, value 0, threshold < 0.05", result.Stdout);
        Assert.Contains("steps: 7 of 7 completed", result.Stdout);
    }

    [Fact]
    public async Task A_failing_metrics_gate_rolls_back_with_exit_1_naming_the_gate_and_its_value()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary(candidateErrorRate: 0.5));

        var result = await Zdp.RunAsync("deploy", "-f", spec);

        Assert.True(result.ExitCode == ExitCodes.RolledBack, result.ToString());
        Assert.Contains("outcome: rolled back", result.Stdout);
        Assert.Contains("gate 'error-rate' failed", result.Stdout);
        Assert.Contains("error-rate: failed, value 0.5, threshold < 0.05", result.Stdout);
        Assert.Contains("rolling back:", result.Stdout);
    }

    [Fact]
    public async Task Command_gates_and_hooks_run_as_real_processes_with_hook_output_shown_under_its_name()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", """
            name: shop
            platform:
              type: simulated
              simulated: { stableTargets: 2, candidateTargets: 2, healthCheckInterval: 10ms, deregistrationDelay: 20ms }
            strategy:
              canary:
                steps:
                  - setWeight: 50
                  - gate: script
            gates:
              - name: script
                command: { run: "echo checking $ZDP_SIDE; echo 0.01", measure: stdout }
                condition: "< 0.05"
                count: 1
            hooks:
              postPromote:
                - name: notify
                  run: echo promoted $ZDP_DEPLOYMENT_ID rollback=$ZDP_ROLLBACK
            """);

        var result = await Zdp.RunAsync("deploy", "-f", spec, "--output", "plain");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("script: passed, value 0.01, threshold < 0.05", result.Stdout);
        Assert.Matches(@"\[notify\] promoted shop-\S+ rollback=0", result.Stdout);
    }

    [Fact]
    public async Task Every_line_of_json_output_is_a_json_object_with_an_event_name()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary(candidateErrorRate: 0.5));

        var result = await Zdp.RunAsync("deploy", "-f", spec, "--output", "json");

        Assert.True(result.ExitCode == ExitCodes.RolledBack, result.ToString());
        var events = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line =>
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.GetProperty("event").GetString();
            })
            .ToList();
        Assert.Equal("plan", events[0]);
        Assert.Contains("started", events);
        Assert.Contains("gateEvaluated", events);
        Assert.Contains("rollbackStarted", events);
        Assert.Contains("finished", events);
        Assert.Equal("result", events[^1]);
        using var last = JsonDocument.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("rolledBack", last.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(ExitCodes.RolledBack, last.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Plain_output_is_one_timestamped_line_per_event_without_carriage_returns()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary());

        var result = await Zdp.RunAsync("deploy", "-f", spec, "--output", "plain");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.DoesNotContain('\r', result.Stdout);
        Assert.DoesNotContain('\u001b', result.Stdout);
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z step 2/7 started: set candidate weight to 20 %$", result.Stdout);
    }

    [Fact]
    public async Task Cancelling_a_running_deployment_rolls_it_back_and_exits_4()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary(pause: "30s"));
        using var cancel = new CancellationTokenSource();

        var run = Zdp.RunAsync(["deploy", "-f", spec], cancel.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await cancel.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.ExitCode == ExitCodes.Cancelled, result.ToString());
        Assert.Contains("outcome: cancelled", result.Stdout);
        Assert.Contains("set candidate weight to 0 %", result.Stdout);
    }

    [Fact]
    public async Task Promote_without_a_running_deployment_exits_2_and_says_so()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary());

        var result = await Zdp.RunAsync("promote", "-f", spec);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("no running deployment", result.Stderr);
    }

    [Fact]
    public async Task Status_shows_no_deployment_and_the_observed_targets()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary());

        var result = await Zdp.RunAsync("status", "-f", spec);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("deployment: none recorded", result.Stdout);
        Assert.Contains("active side: stable", result.Stdout);
        Assert.Matches(@"stable-1\s+stable\s+registered\s+healthy", result.Stdout);
    }
}
