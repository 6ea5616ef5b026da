using ZdPipelines.Hosts.GitHubActions.Tests.Support;

namespace ZdPipelines.Hosts.GitHubActions.Tests;

/// <summary>The whole Action in-process: inputs to exit code, with the Deployments API fake and the simulated platform.</summary>
public sealed class ActionAppTests : IAsyncLifetime
{
    private readonly ActionRun _run = new();
    private DeploymentsApiFake _github = null!;

    public async Task InitializeAsync()
    {
        _github = await DeploymentsApiFake.StartAsync();
        _run.Variables["GITHUB_API_URL"] = _github.Url;
        _run.Variables["INPUT_GITHUB-TOKEN"] = "ghs_job_token";
        _run.Variables["INPUT_ENVIRONMENT"] = "staging";
        _run.Variables["INPUT_ENVIRONMENT-URL"] = "https://shop.example.com";
    }

    public async Task DisposeAsync()
    {
        _run.Dispose();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task A_promoted_canary_exits_0_with_outputs_a_summary_and_a_successful_deployment()
    {
        _run.Variables["INPUT_SPEC"] = _run.Write("zdp.yml", ActionRun.SimulatedCanary());

        var exit = await _run.RunAsync();

        Assert.True(exit == 0, _run.Log.ToString());
        var outputs = _run.Outputs();
        Assert.Equal("promoted", outputs["outcome"]);
        Assert.Equal("0", outputs["exit-code"]);
        Assert.Equal("1001", outputs["deployment-id"]);
        Assert.StartsWith("shop-api-", outputs["zdp-deployment-id"]);
        Assert.Equal("zdp deploy of shop-api: promoted (exit 0)", outputs["summary"]);
        Assert.Empty(_github.Violations);
        Assert.Equal(["in_progress", "success"], _github.States);
        Assert.Equal("6dcb09b5b57875f334f61aebed695e2e4193db5e", _github.Requests[0].Body!["ref"]!.GetValue<string>());
        Assert.Equal("https://github.com/octo/shop/actions/runs/42", _github.Requests[^1].Body!["log_url"]!.GetValue<string>());
        Assert.StartsWith("## ✅ zdp deploy: shop-api — promoted", _run.Summary);
        Assert.Contains("xychart-beta", _run.Summary);
        Assert.Contains("line [0, 20, 60, 100]", _run.Summary);
        Assert.StartsWith("::add-mask::ghs_job_token\n", _run.Log.ToString());
        Assert.Contains("::group::step 2/", _run.Log.ToString());
    }

    [Fact]
    public async Task A_failed_gate_exits_1_rolled_back_with_the_deployment_marked_failure()
    {
        _run.Variables["INPUT_SPEC"] = _run.Write("zdp.yml", ActionRun.SimulatedCanary(candidateErrorRate: 0.5));

        var exit = await _run.RunAsync();

        Assert.True(exit == 1, _run.Log.ToString());
        Assert.Equal("rolled-back", _run.Outputs()["outcome"]);
        Assert.Empty(_github.Violations);
        Assert.Equal(["in_progress", "in_progress", "failure"], _github.States);
        Assert.StartsWith("rolled back: gate 'error-rate' failed", _github.Requests[^1].Body!["description"]!.GetValue<string>());
        Assert.Contains("::error title=zdp%3A gate error-rate failed::gate 'error-rate' failed", _run.Log.ToString());
        Assert.Contains("> **Rolled back:**", _run.Summary);
        Assert.Contains("line [0, 20, 0]", _run.Summary);
    }

    [Fact]
    public async Task A_url_password_in_the_spec_is_in_no_log_line_output_summary_or_deployment_status()
    {
        const string Password = "planted-Pa55word-7f3c";
        _run.Variables["INPUT_SPEC"] = _run.Write("zdp.yml", InsertGate(ActionRun.SimulatedCanary(), Password));

        var exit = await _run.RunAsync();

        Assert.True(exit == 1, _run.Log.ToString());
        var shown = AsTheRunnerShowsIt(_run.Log.ToString());
        var everything = string.Join("\n", [.. shown, _run.Summary, .. _run.Outputs().Values, .. _github.Requests.Select(r => r.Body?.ToJsonString() ?? "")]);
        // The URL is in the rollback reason, so the password was there to leak.
        Assert.Contains("deployer:***@127.0.0.1:9", everything, StringComparison.Ordinal);
        Assert.Contains("deployer:***@127.0.0.1:9", _run.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, everything, StringComparison.Ordinal);
        Assert.Contains($"::add-mask::{Password}", _run.Log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The log as the runner shows it: an ::add-mask:: line is consumed, and its value is masked in the lines after it
    /// (not before: a value printed before its mask was registered leaks).
    /// </summary>
    private static List<string> AsTheRunnerShowsIt(string log)
    {
        var masks = new List<string>();
        var shown = new List<string>();
        foreach (var line in log.Split('\n'))
        {
            if (line.StartsWith("::add-mask::", StringComparison.Ordinal))
            {
                masks.Add(line["::add-mask::".Length..]);
                continue;
            }

            shown.Add(masks.Aggregate(line, (text, mask) => text.Replace(mask, "***", StringComparison.Ordinal)));
        }

        return shown;
    }

    /// <summary>The canary with its first gate replaced by an HTTP gate behind basic auth on a port nothing listens on.</summary>
    private static string InsertGate(string spec, string password) => spec
        .Replace("      - gate: error-rate\n      - setWeight: 60", "      - gate: behind-auth\n      - setWeight: 60", StringComparison.Ordinal)
        .Replace("gates:\n", $"gates:\n  - name: behind-auth\n    http: {{ url: \"http://deployer:{password}@127.0.0.1:9/health\", probes: 1 }}\n    condition: \">= 0.5\"\n    interval: 100ms\n    count: 1\n", StringComparison.Ordinal);

    [Fact]
    public async Task Bad_inputs_exit_2_with_one_error_each_and_nothing_recorded_on_GitHub()
    {
        _run.Variables["INPUT_COMMAND"] = "ship";
        _run.Variables["INPUT_SUMMARY"] = "yes";

        var exit = await _run.RunAsync();

        Assert.Equal(2, exit);
        var errors = _run.Log.ToString().Split('\n').Where(l => l.StartsWith("::error", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains("input 'command' is 'ship'", errors[0]);
        Assert.Contains("input 'summary' is 'yes', which is not a boolean", errors[1]);
        Assert.Equal("invalid", _run.Outputs()["outcome"]);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task A_spec_error_is_an_annotation_on_the_users_file_line_and_column()
    {
        var spec = _run.Write("zdp.yml", ActionRun.SimulatedCanary().Replace("setWeight: 60", "setWeight: 160", StringComparison.Ordinal));
        _run.Variables["INPUT_SPEC"] = spec;

        var exit = await _run.RunAsync();

        Assert.Equal(2, exit);
        var error = Assert.Single(_run.Log.ToString().Split('\n'), l => l.StartsWith("::error", StringComparison.Ordinal));
        Assert.StartsWith($"::error title=zdp%3A invalid spec {spec},file={spec},line=17,col=", error);
        Assert.Contains("::strategy.canary.steps[3].setWeight: 160 is out of range.", error);
        Assert.Equal("invalid", _run.Outputs()["outcome"]);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task Vars_fill_placeholders_and_errors_in_the_filled_copy_point_at_the_users_file()
    {
        var spec = _run.Write("zdp.yml", ActionRun.SimulatedCanary(name: "shop-${STAGE}").Replace("setWeight: 60", "setWeight: ${WEIGHT}", StringComparison.Ordinal));
        _run.Variables["INPUT_SPEC"] = spec;
        _run.Variables["INPUT_VARS"] = "STAGE=eu\nWEIGHT=160";

        var exit = await _run.RunAsync();

        Assert.Equal(2, exit);
        Assert.Contains($"file={spec},line=17,", _run.Log.ToString());
        Assert.DoesNotContain("zdp-action-", _run.Log.ToString().Replace(_run.Directory, "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_placeholder_without_a_value_stops_the_run_with_an_annotation_on_its_line()
    {
        var spec = _run.Write("zdp.yml", ActionRun.SimulatedCanary(name: "shop-${STAGE}"));
        _run.Variables["INPUT_SPEC"] = spec;

        var exit = await _run.RunAsync();

        Assert.Equal(2, exit);
        Assert.Contains($"::error title=zdp%3A no value for ${{STAGE}},file={spec},line=1,col=12::placeholder ${{STAGE}} has no value.", _run.Log.ToString());
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task Plan_prints_the_plan_into_the_log_and_the_summary_and_records_no_deployment()
    {
        _run.Variables["INPUT_SPEC"] = _run.Write("zdp.yml", ActionRun.SimulatedCanary());
        _run.Variables["INPUT_COMMAND"] = "plan";

        var exit = await _run.RunAsync();

        Assert.Equal(0, exit);
        Assert.Contains("set candidate weight to 20 %", _run.Log.ToString());
        Assert.StartsWith("## ✅ zdp plan: shop-api — exit 0\n\n```text\nplan for shop-api", _run.Summary);
        Assert.Equal("succeeded", _run.Outputs()["outcome"]);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task Cancelling_mid_canary_rolls_back_exits_4_and_still_records_the_final_status()
    {
        _run.Variables["INPUT_SPEC"] = _run.Write("zdp.yml", ActionRun.SimulatedCanary().Replace("pause: 200ms", "pause: 5m", StringComparison.Ordinal));
        using var cancel = new CancellationTokenSource();
        var running = _run.RunAsync(cancel.Token);
        while (!_run.Log.ToString().Contains("step 3/", StringComparison.Ordinal) && !running.IsCompleted)
        {
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
        var exit = await running;

        Assert.True(exit == 4, _run.Log.ToString());
        Assert.Equal("cancelled", _run.Outputs()["outcome"]);
        Assert.Equal("failure", _github.States[^1]);
        Assert.Contains("set candidate weight to 0 %", _run.Summary);
        Assert.Contains("The run was cancelled.", _run.Summary);
    }
}
