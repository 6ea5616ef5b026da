using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Tests.Support;

namespace ZdPipelines.Core.Tests.Engine;

public sealed class RollbackTests
{
    public static TheoryData<string> StepKinds => new() { "setWeight", "pause", "switch", "afterFirstBatch", "afterLastBatch", "preSwitch" };

    /// <summary>
    /// A gate placed right after each kind of step fails; the engine must restore the recorded start.
    /// </summary>
    [Theory]
    [MemberData(nameof(StepKinds))]
    public async Task A_failed_gate_after_each_step_kind_restores_the_starting_state(string kind)
    {
        var (spec, floor) = kind switch
        {
            "setWeight" => (WithGate(Specs.Canary(null, new() { SetWeight = 20 }, new() { Gate = "check" }, new() { SetWeight = 60 })), 0),
            "pause" => (WithGate(Specs.Canary(null, new() { SetWeight = 20 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(2)) }, new() { Gate = "check" })), 0),
            "switch" => (WithGate(Specs.BlueGreen() with { Strategy = new StrategySpec { BlueGreen = new BlueGreenSpec { PostSwitchGates = ["check"] } } }), 0),
            "preSwitch" => (WithGate(Specs.BlueGreen() with { Strategy = new StrategySpec { BlueGreen = new BlueGreenSpec { PreSwitchGates = ["check"] } } }), 0),
            _ => (WithGate(Specs.Rolling(batch: 2, maxUnavailable: 2)) with
            {
                Strategy = new StrategySpec { Rolling = new RollingSpec { BatchSize = CountOrPercent.FromCount(2), MaxUnavailable = CountOrPercent.FromCount(2), Gates = ["check"] } },
            }, 4),
        };
        var h = new EngineHarness(spec);
        h.Platform.CapacityFloor = floor;
        // The rolling plan runs the gate after each of its 3 batches: fail after the first or the last.
        h.Scripted.Answer("check", kind == "afterLastBatch" ? [0, 0, 1] : [1]);

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("gate 'check' failed", result.Reason, StringComparison.Ordinal);
        Assert.Contains("value 1", result.Reason, StringComparison.Ordinal);
        h.AssertRestored();
        h.AssertSafe();
        var journal = await h.Platform.ReadJournalAsync(default);
        Assert.Equal(DeploymentStatus.RolledBack, journal!.Status);
        Assert.Null(((InMemoryDeploymentStore)h.Platform.Store).CurrentLease);
    }

    [Fact]
    public async Task A_failing_canary_error_rate_rolls_back_and_names_the_gate_and_value()
    {
        var h = new EngineHarness(Specs.Canary(Specs.Platform(errorRate: 0.3)));

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        var gate = Assert.Single(result.Gates);
        Assert.Equal(GateVerdict.Fail, gate.Verdict);
        Assert.Equal(0.3, gate.LastValue);
        Assert.Contains("error-rate", result.Reason, StringComparison.Ordinal);
        h.AssertRestored();
        h.AssertSafe();
    }

    [Fact]
    public async Task Rollback_after_a_rolling_failure_reverts_updated_targets_a_batch_at_a_time_within_capacity()
    {
        var spec = WithGate(Specs.Rolling(batch: 2, maxUnavailable: 2)) with
        {
            Strategy = new StrategySpec { Rolling = new RollingSpec { BatchSize = CountOrPercent.FromCount(2), MaxUnavailable = CountOrPercent.FromCount(2), Gates = ["check"] } },
        };
        var h = new EngineHarness(spec);
        h.Platform.CapacityFloor = 4;
        h.Scripted.Answer("check", 0, 1);

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        var reverts = h.Events.OfType<StepCompleted>().Where(e => e.Rollback && e.Description.StartsWith("revert", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reverts.Count);
        h.AssertRestored();
        h.AssertSafe();
    }

    [Fact]
    public async Task An_inconclusive_gate_rolls_back_by_default_and_says_data_was_insufficient()
    {
        var h = new EngineHarness(WithGate(Specs.Canary(null, new() { SetWeight = 10 }, new() { Gate = "check" })));
        h.Scripted.Answer("check", null, null, null);

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("insufficient data", result.Reason, StringComparison.Ordinal);
        Assert.Equal(GateVerdict.Inconclusive, Assert.Single(result.Gates).Verdict);
        h.AssertRestored();
    }

    [Fact]
    public async Task An_inconclusive_gate_continues_when_the_spec_says_so()
    {
        var spec = WithGate(Specs.Canary(null, new() { SetWeight = 10 }, new() { Gate = "check" })) with
        {
            Rollback = new RollbackSpec { OnInconclusive = InconclusiveAction.Continue },
        };
        var h = new EngineHarness(spec);
        h.Scripted.Answer("check", null, null, null);

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
    }

    [Fact]
    public async Task A_failing_hook_rolls_back_and_shows_its_exit_code()
    {
        var spec = Specs.BlueGreen() with { Hooks = new HooksSpec { PreSwitch = [new HookSpec { Name = "smoke-test", Run = "./smoke.sh" }] } };
        var h = new EngineHarness(spec);
        h.Hooks.ExitCode = (hook, _) => hook.Name == "smoke-test" ? 7 : 0;

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("hook 'smoke-test' exited with code 7", result.Reason, StringComparison.Ordinal);
        h.AssertRestored();
    }

    [Fact]
    public async Task A_candidate_that_never_becomes_healthy_times_out_and_moves_no_traffic()
    {
        var spec = Specs.Canary() with { Timeouts = new TimeoutsSpec { Healthy = TimeSpan.FromMinutes(2) } };
        var h = new EngineHarness(spec);
        foreach (var t in h.Start.On(Side.Candidate))
        {
            h.Platform.SetFailing(t.Id, true);
        }

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("timed out after 2m", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, h.Platform.Mutations);
        h.AssertSafe();
    }

    [Fact]
    public async Task Exceeding_the_total_timeout_rolls_back()
    {
        var spec = Specs.Canary(null, new() { SetWeight = 10 }, new() { Pause = new PauseSpec(TimeSpan.FromHours(2)) }) with
        {
            Timeouts = new TimeoutsSpec { Total = TimeSpan.FromMinutes(10) },
        };
        var h = new EngineHarness(spec);

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("timeouts.total (10m)", result.Reason, StringComparison.Ordinal);
        h.AssertRestored();
    }

    [Fact]
    public async Task With_automatic_rollback_off_a_failure_leaves_the_state_and_says_how_to_roll_back()
    {
        var spec = WithGate(Specs.Canary(null, new() { SetWeight = 25 }, new() { Gate = "check" })) with { Rollback = new RollbackSpec { Automatic = false } };
        var h = new EngineHarness(spec);
        h.Scripted.Answer("check", 1);

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.Failed, result.Outcome);
        Assert.Contains("zdp rollback", result.Reason, StringComparison.Ordinal);
        Assert.Equal(25, h.Platform.Snapshot().CandidateWeight);

        var rollback = await h.DriveAsync(h.Engine().RollbackAsync(spec, "operator", default));
        Assert.Equal(DeploymentOutcome.RolledBack, rollback.Outcome);
        h.AssertRestored();
    }

    private static DeploymentSpec WithGate(DeploymentSpec spec) => spec with { Gates = [.. spec.Gates, Specs.Scripted("check")] };
}
