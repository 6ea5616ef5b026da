using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Tests.Support;

namespace ZdPipelines.Core.Tests.Engine;

/// <summary>
/// What moto_server does not simulate for the ALB platform (its targets are healthy and drained at once): ALB's own
/// health-check thresholds and deregistration delay, on the simulated platform and a fake clock, with ALB's defaults.
/// </summary>
public sealed class AlbTimingTests
{
    /// <summary>ALB's defaults: health checks every 30 s, 5 to be healthy, 300 s deregistration delay (CreateTargetGroup docs).</summary>
    private static readonly SimulatedPlatformOptions AlbDefaults = new()
    {
        StableTargets = 4,
        CandidateTargets = 0,
        HealthCheckInterval = TimeSpan.FromSeconds(30),
        HealthyThreshold = 5,
        DeregistrationDelay = TimeSpan.FromSeconds(300),
    };

    [Fact]
    public async Task Rolling_with_alb_defaults_waits_out_each_drain_and_health_threshold_and_matches_the_predicted_floor()
    {
        var h = new EngineHarness(Specs.Rolling(AlbDefaults, batch: 2, maxUnavailable: 2));
        var plan = h.Plan();

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        // Two batches, each: 300 s of draining, 5 x 30 s to healthy, and the gate's 3 measurements 10 s apart.
        Assert.Equal(TimeSpan.FromSeconds(2 * (300 + 150 + 20)), plan.PredictedMinimum);
        Assert.InRange(result.Took, plan.PredictedMinimum, plan.PredictedMinimum + TimeSpan.FromMinutes(2));
        Assert.Contains(h.Events.OfType<Waiting>(), w => w.What.StartsWith("drain", StringComparison.Ordinal) && w.Elapsed > TimeSpan.Zero);
        h.AssertSafe();
    }
}
