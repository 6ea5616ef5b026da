using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Tests.Support;

namespace ZdPipelines.Core.Tests.Engine;

/// <summary>
/// The invariant checks must be able to fail: hand-written unsafe plans (which no strategy produces)
/// are run, and the checks that every other engine test relies on must report them.
/// </summary>
public sealed class InvariantCheckTests
{
    [Fact]
    public async Task Draining_every_target_at_once_is_reported_as_a_capacity_breach()
    {
        var h = new EngineHarness(Specs.Rolling(batch: 2, maxUnavailable: 2));
        h.Platform.CapacityFloor = 4;
        var everything = h.Start.On(Side.Stable).Select(t => t.Id).ToList();
        var unsafePlan = new DeploymentPlan("rolling", [new Deregister(everything, 0)], [], TimeSpan.Zero, []);

        await h.DriveAsync(h.Engine().DeployAsync(h.Spec, unsafePlan, "d", default));

        Assert.Contains(h.Breaches, b => b.Contains("below the floor of 4", StringComparison.Ordinal));
        Assert.NotEmpty(h.Platform.Violations);
    }

    [Fact]
    public async Task An_out_of_range_weight_is_reported()
    {
        var h = new EngineHarness(Specs.Canary());
        var unsafePlan = new DeploymentPlan("canary", [new WaitHealthy(Side.Candidate, [], 1), new SetWeight(150)], [], TimeSpan.Zero, []);

        await h.DriveAsync(h.Engine().DeployAsync(h.Spec, unsafePlan, "d", default));

        Assert.Contains(h.Breaches, b => b.Contains("weight 150 is outside 0..100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_engine_guard_refuses_to_move_traffic_onto_a_side_with_no_healthy_target()
    {
        var spec = Specs.Canary() with { Timeouts = new Core.Spec.TimeoutsSpec { Healthy = TimeSpan.FromMinutes(1) } };
        var h = new EngineHarness(spec);
        foreach (var t in h.Start.On(Side.Candidate))
        {
            h.Platform.SetFailing(t.Id, true);
        }

        // No wait-healthy step: only the engine's own guard stands between this plan and an outage.
        var unsafePlan = new DeploymentPlan("canary", [new SetWeight(50)], [], TimeSpan.Zero, []);
        var result = await h.DriveAsync(h.Engine().DeployAsync(spec, unsafePlan, "d", default));

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("healthy candidate target before moving traffic", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, h.Platform.Snapshot().CandidateWeight);
        h.AssertSafe();
    }
}
