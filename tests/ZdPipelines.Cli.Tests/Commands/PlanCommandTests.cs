using System.Text.Json;
using ZdPipelines.Cli.Tests.Support;

namespace ZdPipelines.Cli.Tests.Commands;

public sealed class PlanCommandTests
{
    [Fact]
    public async Task Plan_of_a_simulated_canary_prints_numbered_steps_rollback_and_duration_and_succeeds()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary());

        var result = await Zdp.RunAsync("plan", "-f", spec);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("1. wait until 2 candidate target(s) healthy", result.Stdout);
        Assert.Contains("2. set candidate weight to 20 %", result.Stdout);
        Assert.Contains("4. gate 'error-rate' on candidate", result.Stdout);
        Assert.Contains("7. switch all traffic to candidate", result.Stdout);
        Assert.Contains("rollback path", result.Stdout);
        Assert.Contains("predicted minimum duration:", result.Stdout);
        Assert.Contains("capabilities used: WeightedSplit, TrafficSwitch, Metrics, DeploymentStore", result.Stdout);
    }

    [Fact]
    public async Task Plan_as_json_is_one_document_with_polymorphic_steps_and_string_enums()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary());

        var result = await Zdp.RunAsync("plan", "-f", spec, "--output", "json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var steps = doc.RootElement.GetProperty("steps");
        Assert.Equal(7, steps.GetArrayLength());
        Assert.Equal("waitHealthy", steps[0].GetProperty("step").GetProperty("kind").GetString());
        Assert.Equal("candidate", steps[0].GetProperty("step").GetProperty("side").GetString());
        Assert.Equal(20, steps[1].GetProperty("step").GetProperty("percent").GetInt32());
        Assert.Equal("canary", doc.RootElement.GetProperty("strategy").GetString());
    }

    [Fact]
    public async Task A_plan_the_platform_cannot_run_is_refused_with_exit_5_and_the_reason()
    {
        using var dir = new TempDirectory();
        // 10 % of two targets is no target at all: valid YAML, but no batch could ever leave the pool.
        var spec = dir.Write("zdp.yml", """
            name: shop
            platform:
              type: simulated
              simulated: { stableTargets: 2, candidateTargets: 0 }
            strategy:
              rolling: { batchSize: 1, maxUnavailable: 10% }
            """);

        var result = await Zdp.RunAsync("plan", "-f", spec);

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("maxUnavailable resolves to 0 of 2 targets", result.Stderr);
    }
}
