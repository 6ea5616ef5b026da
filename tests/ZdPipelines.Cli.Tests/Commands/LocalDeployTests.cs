using ZdPipelines.Hosting;
using ZdPipelines.Cli.Tests.Support;
using ZdPipelines.Platforms.Local.Samples;

namespace ZdPipelines.Cli.Tests.Commands;

/// <summary>`zdp deploy` of a user-written local spec against real upstreams, then `zdp status` from the journal.</summary>
public sealed class LocalDeployTests : IAsyncLifetime, IDisposable
{
    private readonly List<SampleApp> _apps = [];
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync()
    {
        foreach (var version in new[] { "v1", "v1", "v2", "v2" })
        {
            var app = new SampleApp(new SampleAppOptions { Version = version }, TimeProvider.System);
            await app.StartAsync(CancellationToken.None);
            _apps.Add(app);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();

    private string Spec(string strategy) => $$"""
        name: shop
        platform:
          type: local
          local:
            listen: 127.0.0.1:0
            stable: { version: v1, targets: [{{_apps[0].Url.ToString().TrimEnd('/')}}, {{_apps[1].Url.ToString().TrimEnd('/')}}] }
            candidate: { version: v2, targets: [{{_apps[2].Url.ToString().TrimEnd('/')}}, {{_apps[3].Url.ToString().TrimEnd('/')}}] }
            healthCheck: { interval: 100ms, timeout: 80ms, healthyThreshold: 2 }
            drainTimeout: 1s
            stateDirectory: {{Path.Combine(_dir.Path, "state")}}
        strategy:
        {{strategy}}
        gates:
          - name: v2-answers
            http: { url: "{address}/", probes: 10, bodyContains: v2 }
            condition: ">= 0.1"
            interval: 100ms
            count: 2
        """;

    [Fact]
    public async Task A_local_canary_deploys_through_the_proxy_and_status_reads_the_journal_afterwards()
    {
        var spec = _dir.Write("zdp.yml", Spec("""
              canary:
                steps:
                  - setWeight: 50
                  - gate: v2-answers
            """));

        var deploy = await Zdp.RunAsync("deploy", "-f", spec, "--output", "plain");
        var status = await Zdp.RunAsync("status", "-f", spec, "--output", "plain");

        Assert.True(deploy.ExitCode == ExitCodes.Success, deploy.ToString());
        Assert.Contains("v2-answers: passed", deploy.Stdout);
        Assert.True(status.ExitCode == ExitCodes.Success, status.ToString());
        Assert.Contains("succeeded", status.Stdout);
    }

    [Fact]
    public async Task After_a_rollback_commands_whose_end_state_holds_exit_0_and_those_with_nothing_to_act_on_exit_2()
    {
        var spec = _dir.Write("zdp.yml", Spec("""
              canary:
                steps:
                  - setWeight: 50
                  - gate: v2-answers
            """).Replace("bodyContains: v2", "bodyContains: v3", StringComparison.Ordinal));
        var deploy = await Zdp.RunAsync("deploy", "-f", spec, "--output", "plain");
        Assert.True(deploy.ExitCode == ExitCodes.RolledBack, deploy.ToString());

        var rollback = await Zdp.RunAsync("rollback", "-f", spec, "--output", "plain");
        var abort = await Zdp.RunAsync("abort", "-f", spec, "--output", "plain");
        var promote = await Zdp.RunAsync("promote", "-f", spec, "--output", "plain");
        var resume = await Zdp.RunAsync("resume", "-f", spec, "--output", "plain");

        Assert.True(rollback.ExitCode == ExitCodes.Success, rollback.ToString());
        Assert.Contains("already rolled back", rollback.All, StringComparison.Ordinal);
        Assert.True(abort.ExitCode == ExitCodes.Success, abort.ToString());
        Assert.Contains("already rolled back", abort.All, StringComparison.Ordinal);
        Assert.True(promote.ExitCode == ExitCodes.InvalidInput, promote.ToString());
        Assert.Contains("nothing to promote", promote.All, StringComparison.Ordinal);
        Assert.True(resume.ExitCode == ExitCodes.InvalidInput, resume.ToString());
        Assert.Contains("nothing to resume", resume.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("promote", ExitCodes.Success, "outcome: promoted")]
    [InlineData("abort", ExitCodes.RolledBack, "outcome: rolled back")]
    public async Task A_paused_local_canary_is_seen_by_status_and_ended_by_promote_or_abort_from_another_command(string signal, int exitCode, string outcome)
    {
        var spec = _dir.Write("zdp.yml", Spec("""
              canary:
                steps:
                  - setWeight: 30
                  - pause: untilPromote
                  - setWeight: 60
            """));

        var deploy = Zdp.RunAsync("deploy", "-f", spec, "--output", "plain");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ZdpOutput status;
        do
        {
            await Task.Delay(100);
            status = await Zdp.RunAsync("status", "-f", spec, "--output", "plain");
        }
        while (!status.Stdout.Contains("paused", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !deploy.IsCompleted);

        var sent = await Zdp.RunAsync(signal, "-f", spec, "--output", "plain");
        var result = await deploy.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("paused", status.Stdout);
        Assert.True(sent.ExitCode == ExitCodes.Success, sent.ToString());
        Assert.Contains($"asked deployment", sent.Stdout);
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(outcome, result.Stdout);
    }

    [Fact]
    public async Task A_local_plan_probes_the_upstreams_and_changes_nothing()
    {
        var spec = _dir.Write("zdp.yml", Spec("""
              blueGreen:
                postSwitchGates: [v2-answers]
                bake: 0s
            """));

        var plan = await Zdp.RunAsync("plan", "-f", spec, "--output", "plain");

        Assert.True(plan.ExitCode == ExitCodes.Success, plan.ToString());
        Assert.Contains("switch all traffic to candidate", plan.Stdout);
        Assert.Contains("(http://127.0.0.1:0)", plan.Stdout); // the target as the spec names it, not the private probe

        Assert.False(File.Exists(Path.Combine(_dir.Path, "state", "journal.json")));
    }
}
