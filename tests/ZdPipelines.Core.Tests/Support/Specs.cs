using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Tests.Support;

/// <summary>Specs built in code, with scaled-down ALB-like timings, for engine tests on the fake clock.</summary>
internal static class Specs
{
    public static SimulatedPlatformOptions Platform(int stable = 4, int candidate = 4, double errorRate = 0) => new()
    {
        StableTargets = stable,
        CandidateTargets = candidate,
        HealthCheckInterval = TimeSpan.FromSeconds(5),
        HealthyThreshold = 2,
        DeregistrationDelay = TimeSpan.FromSeconds(20),
        CandidateErrorRate = errorRate,
    };

    public static GateSpec ErrorRate(string name = "error-rate") => new()
    {
        Name = name,
        Source = new MetricsGateOptions { Metric = PlatformMetric.ErrorRate, Side = Side.Candidate, Window = TimeSpan.FromSeconds(30) },
        Condition = new GateCondition(ComparisonOperator.LessThan, 0.05),
        Interval = TimeSpan.FromSeconds(10),
        Count = 3,
    };

    public static GateSpec Scripted(string name, int count = 1) => new()
    {
        Name = name,
        Source = new CommandGateOptions { Run = "scripted" },
        Condition = new GateCondition(ComparisonOperator.Equal, 0),
        Interval = TimeSpan.FromSeconds(10),
        Count = count,
    };

    public static DeploymentSpec Canary(SimulatedPlatformOptions? platform = null, params CanaryStepSpec[] steps) => Base(platform) with
    {
        Strategy = new StrategySpec
        {
            Canary = new CanarySpec
            {
                Steps = steps.Length > 0 ? steps :
                [
                    new() { SetWeight = 10 },
                    new() { Pause = new PauseSpec(TimeSpan.FromMinutes(1)) },
                    new() { Gate = "error-rate" },
                    new() { SetWeight = 50 },
                    new() { Pause = new PauseSpec(TimeSpan.FromMinutes(1)) },
                    new() { Gate = "error-rate" },
                ],
            },
        },
    };

    /// <summary>Pre-switch gates probe the preview address (scripted here): the candidate has no user traffic yet.</summary>
    public static DeploymentSpec BlueGreen(SimulatedPlatformOptions? platform = null) => Base(platform) with
    {
        Gates = [ErrorRate(), Scripted("smoke")],
        Strategy = new StrategySpec
        {
            BlueGreen = new BlueGreenSpec
            {
                PreSwitchGates = ["smoke"],
                PostSwitchGates = ["error-rate"],
                Bake = TimeSpan.FromMinutes(1),
                KeepPreviousFor = TimeSpan.FromMinutes(30),
            },
        },
    };

    public static DeploymentSpec Rolling(SimulatedPlatformOptions? platform = null, int batch = 2, int maxUnavailable = 2, int maxSurge = 0) => Base(platform ?? Platform(stable: 6, candidate: 0)) with
    {
        Strategy = new StrategySpec
        {
            Rolling = new RollingSpec
            {
                BatchSize = CountOrPercent.FromCount(batch),
                MaxUnavailable = CountOrPercent.FromCount(maxUnavailable),
                MaxSurge = CountOrPercent.FromCount(maxSurge),
                Gates = ["error-rate"],
            },
        },
    };

    private static DeploymentSpec Base(SimulatedPlatformOptions? platform) => new()
    {
        Name = "shop-api",
        Platform = new PlatformSpec("simulated", platform ?? Platform()),
        Strategy = new StrategySpec(),
        Gates = [ErrorRate()],
    };
}
