using System.Diagnostics;
using ZdPipelines.Hosts.GitHubActions.Tests.Support;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Image;

/// <summary>
/// The built image, run as GitHub's runner runs a Docker action, against the Deployments API fake on 127.0.0.1.
/// Category Image: only build/container/test-image.sh runs these (after building the image); ./build.sh Test leaves
/// them out. Today the entrypoint drives the zdp command line in-process (Session/CliSession.cs) on the simulated
/// platform; when the hosting layer is wired, only the session behind the same entrypoint changes.
/// </summary>
[Trait("Category", "Image")]
public sealed class ImageRunTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly RunnerContainer _container = new();
    private DeploymentsApiFake _github = null!;

    public async Task InitializeAsync()
    {
        _github = await DeploymentsApiFake.StartAsync();
        _container.Variables["GITHUB_API_URL"] = _github.Url;
        _container.Variables["INPUT_GITHUB-TOKEN"] = "ghs_job_token_for_the_image_test";
        _container.Variables["INPUT_ENVIRONMENT"] = "staging";
        _container.Variables["INPUT_ENVIRONMENT-URL"] = "https://shop.example.com";
        _container.Variables["INPUT_SPEC"] = "zdp.yml";
        _container.Variables["INPUT_VARS"] = "SERVICE=shop-api";
    }

    public async Task DisposeAsync()
    {
        _container.Dispose();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task A_promoted_deploy_exits_0_with_outputs_summary_and_deployment_statuses()
    {
        _container.WriteWorkspace("zdp.yml", ActionRun.SimulatedCanary(name: "${SERVICE}"));

        var exit = await _container.RunAsync(Timeout);

        Assert.True(exit == 0, _container.Log);
        Assert.Contains("outcome<<ghadelimiter_", _container.OutputsText);
        Assert.Contains("\npromoted\n", _container.OutputsText);
        Assert.Contains("\nzdp deploy of shop-api: promoted (exit 0)\n", _container.OutputsText);
        Assert.StartsWith("## ✅ zdp deploy: shop-api — promoted", _container.Summary);
        Assert.Contains("```mermaid\nxychart-beta", _container.Summary);
        Assert.Empty(_github.Violations);
        Assert.Equal(["in_progress", "success"], _github.States);
        Assert.Equal("https://github.com/octo/shop/actions/runs/4242", _github.Requests[^1].Body!["log_url"]!.GetValue<string>());
        Assert.StartsWith("::add-mask::ghs_job_token_for_the_image_test", _container.Log);
        Assert.Equal(1, CountOccurrences(_container.Log, "ghs_job_token_for_the_image_test"));
    }

    [Fact]
    public async Task A_failed_gate_exits_1_and_the_deployment_ends_as_failure()
    {
        _container.WriteWorkspace("zdp.yml", ActionRun.SimulatedCanary(candidateErrorRate: 0.5, name: "${SERVICE}"));

        var exit = await _container.RunAsync(Timeout);

        Assert.True(exit == 1, _container.Log);
        Assert.Contains("\nrolled-back\n", _container.OutputsText);
        Assert.Equal(["in_progress", "in_progress", "failure"], _github.States);
        Assert.Contains("> **Rolled back:**", _container.Summary);
    }

    /// <summary>GitHub's cancel: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that (docs workflow-cancellation.md).</summary>
    [Fact]
    public async Task Sigint_then_sigterm_on_githubs_timing_during_a_canary_rolls_back_and_exits_4()
    {
        _container.WriteWorkspace("zdp.yml", ActionRun.SimulatedCanary(name: "${SERVICE}").Replace("pause: 200ms", "pause: 10m", StringComparison.Ordinal));
        var running = _container.RunAsync(Timeout);
        var waited = Stopwatch.StartNew();
        while (!_container.Log.Contains(": pause 10m\n", StringComparison.Ordinal) && !running.IsCompleted && waited.Elapsed < Timeout)
        {
            await Task.Delay(50);
        }

        Assert.False(running.IsCompleted, _container.Log);
        var cancelled = Stopwatch.StartNew();
        Assert.Equal(0, await _container.RunPodmanAsync("kill", "--signal", "SIGINT", _container.Name));
        var finished = await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(7.5)));
        if (finished != running)
        {
            await _container.RunPodmanAsync("kill", "--signal", "SIGTERM", _container.Name);
            if (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(2.5))) != running)
            {
                await _container.RunPodmanAsync("kill", "--signal", "SIGKILL", _container.Name);
            }
        }

        var exit = await running;
        // 4, not 137: zdp-action ended by itself, rolled back, before the kill.
        Assert.True(exit == 4, $"exit {exit} after {cancelled.Elapsed}\n{_container.Log}");
        Assert.Contains("::warning title=zdp%3A cancelled::SIGINT received", _container.Log);
        Assert.Contains("rollback step 1/", _container.Log);
        Assert.Contains("set candidate weight to 0 %", _container.Summary);
        Assert.Contains("\ncancelled\n", _container.OutputsText);
        Assert.Equal("failure", _github.States[^1]);
    }

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
