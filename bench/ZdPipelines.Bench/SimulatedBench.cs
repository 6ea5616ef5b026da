using System.Diagnostics;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Simulated;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Bench;

/// <summary>
/// The engine on the simulated platform with ALB-like timings scaled down (1 s of ALB ≈ 10 ms here),
/// on the real clock: how far above the floor the platform imposes (drains, health thresholds,
/// pauses, gate spacing) a deployment finishes, and how many polls it needs to get there.
/// </summary>
internal static class SimulatedBench
{
    private static readonly int[] CanaryWeights = [5, 10, 25, 50, 75];

    public sealed record Row(string Scenario, TimeSpan Wall, TimeSpan Floor, int Polls, int Mutations, string Outcome);

    public static async Task<IReadOnlyList<Row>> RunAsync(CancellationToken cancellationToken)
    {
        var platform = new SimulatedPlatformOptions
        {
            HealthCheckInterval = TimeSpan.FromMilliseconds(50),
            HealthyThreshold = 2,
            DeregistrationDelay = TimeSpan.FromMilliseconds(300),
        };
        var gate = new GateSpec
        {
            Name = "error-rate",
            Source = new MetricsGateOptions { Metric = PlatformMetric.ErrorRate },
            Condition = new GateCondition(ComparisonOperator.LessThan, 0.05),
            Interval = TimeSpan.FromMilliseconds(100),
            Count = 2,
        };
        var rolling = new DeploymentSpec
        {
            Name = "bench-rolling",
            Platform = new PlatformSpec("simulated", platform with { StableTargets = 10, CandidateTargets = 0 }),
            Strategy = new StrategySpec { Rolling = new RollingSpec { BatchSize = CountOrPercent.FromCount(2), MaxUnavailable = CountOrPercent.FromCount(2), Gates = ["error-rate"] } },
            Gates = [gate],
        };
        var canary = new DeploymentSpec
        {
            Name = "bench-canary",
            Platform = new PlatformSpec("simulated", platform with { StableTargets = 4, CandidateTargets = 4 }),
            Strategy = new StrategySpec
            {
                Canary = new CanarySpec
                {
                    Steps = [.. CanaryWeights.SelectMany(w => new CanaryStepSpec[] { new() { SetWeight = w }, new() { Pause = new PauseSpec(TimeSpan.FromMilliseconds(200)) }, new() { Gate = "error-rate" } })],
                },
            },
            Gates = [gate],
        };

        return
        [
            await RunOneAsync("rolling, 10 targets, batches of 2", rolling, cancellationToken),
            await RunOneAsync("canary, 5 weight steps", canary, cancellationToken),
        ];
    }

    private static async Task<Row> RunOneAsync(string name, DeploymentSpec spec, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var platform = new SimulatedPlatform(spec.Platform.OptionsAs<SimulatedPlatformOptions>(), time);
        var start = platform.Snapshot();
        var plan = DeploymentPlanner.Plan(spec, platform.Capabilities(), start).Plan
            ?? throw new InvalidOperationException($"{name}: plan refused");
        var engine = new DeploymentEngine(
            platform,
            new GateEvaluator([new PlatformMetricsGateSource(platform)], time),
            new NoHooks(),
            time,
            new EngineOptions { MinPoll = TimeSpan.FromMilliseconds(10), MaxPoll = TimeSpan.FromMilliseconds(100) });
        // The candidate's registration happened at construction; the floor counts from there.
        var clock = Stopwatch.StartNew();
        var result = await engine.DeployAsync(spec, plan, null, cancellationToken);
        clock.Stop();
        if (platform.Violations.Count > 0)
        {
            throw new InvalidOperationException($"{name}: safety violated: {platform.Violations[0]}");
        }

        return new Row(name, clock.Elapsed, plan.PredictedMinimum, result.Polls, platform.Mutations, result.Outcome.ToString());
    }

    private sealed class NoHooks : IHookRunner
    {
        public Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken) => Task.FromResult(new HookResult(0, ""));
    }
}
