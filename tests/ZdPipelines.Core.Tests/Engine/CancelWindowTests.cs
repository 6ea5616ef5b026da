using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Tests.Support;
using ZdPipelines.Platforms.Simulated;

namespace ZdPipelines.Core.Tests.Engine;

/// <summary>
/// A cancel inside a CI runner's window (SIGINT, SIGTERM 7.5 s later, the kill 2.5 s after that) and the second signal
/// `timeout -s TERM` sends: traffic goes back first, a second cancel never leaves it half-way, and what a cut-short
/// rollback leaves is in the journal for the next run, with the lease released.
/// </summary>
public sealed class CancelWindowTests
{
    [Fact]
    public async Task A_cancelled_canary_moves_its_weight_back_before_it_asks_the_platform_or_writes_the_journal()
    {
        var h = new EngineHarness(Specs.Canary(null, new() { SetWeight = 30 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(10)) }));
        using var cts = new CancellationTokenSource();
        var run = h.Engine().DeployAsync(h.Spec, h.Plan(), "digest-1", cts.Token);
        await h.RunClockUntilAsync(() => h.Events.OfType<StepStarted>().Any(s => s.Description.StartsWith("pause", StringComparison.Ordinal)), TimeSpan.FromMinutes(5));
        var observationsAtCancel = h.Platform.Observations;
        (string What, int Observations, DeploymentStatus? Journal)? first = null;
        h.Platform.BeforeMutation = async (_, what) =>
        {
            var journal = await h.Platform.Store.ReadJournalAsync(CancellationToken.None);
            first ??= (what, h.Platform.Observations, journal?.Status);
        };

        await cts.CancelAsync();
        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.Cancelled, result.Outcome);
        Assert.Equal(("weight 0", observationsAtCancel, DeploymentStatus.Running), first);
        Assert.Equal(DeploymentStatus.RolledBack, (await h.Platform.Store.ReadJournalAsync(CancellationToken.None))!.Status);
        h.AssertRestored();
        h.AssertSafe();
    }

    [Fact]
    public async Task A_cancel_while_a_weight_change_is_in_flight_asks_the_platform_before_moving_back()
    {
        // The change in flight may or may not have landed, so what the run saw before it proves nothing.
        var h = new EngineHarness(Specs.Canary(null, new() { SetWeight = 30 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(10)) }));
        using var cts = new CancellationTokenSource();
        var inFlight = new TaskCompletionSource();
        h.Platform.BeforeMutation = async (_, what) =>
        {
            if (what == "weight 30")
            {
                inFlight.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(3), h.Time);
            }
        };
        var run = h.Engine().DeployAsync(h.Spec, h.Plan(), "digest-1", cts.Token);
        await h.RunClockUntilAsync(() => inFlight.Task.IsCompleted, TimeSpan.FromMinutes(5));
        var observationsAtCancel = h.Platform.Observations;

        await cts.CancelAsync();
        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.Cancelled, result.Outcome);
        Assert.True(h.Platform.Observations > observationsAtCancel, "the rollback trusted a snapshot taken before a change that was in flight");
        h.AssertRestored();
        h.AssertSafe();
    }

    [Fact]
    public async Task Two_cancels_at_once_during_a_rolling_batch_restore_capacity_then_stop_and_leave_the_rest_for_zdp_rollback()
    {
        var h = new EngineHarness(Specs.Rolling(batch: 2, maxUnavailable: 2));
        h.Platform.CapacityFloor = 4;
        using var cancel = new CancellationTokenSource();
        using var interrupt = new CancellationTokenSource();
        var engine = new EngineHarness(h.Spec, time: h.Time, platform: h.Platform) { Options = new EngineOptions { Interrupt = interrupt.Token } };
        var run = engine.Engine().DeployAsync(h.Spec, h.Plan(), "digest-1", cancel.Token);
        // Batch one is updated and back; batch two is draining.
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().Targets.Count(t => t.Updated) == 2 && h.Platform.Snapshot().Targets.Any(t => t.Health == TargetHealth.Draining), TimeSpan.FromMinutes(10));

        // `timeout -s TERM`: the child, then its process group, 10 ms apart.
        await cancel.CancelAsync();
        await interrupt.CancelAsync();
        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.Cancelled, result.Outcome);
        Assert.Contains("a second cancel stopped the rollback", result.Reason, StringComparison.Ordinal);
        Assert.Contains("capacity and traffic are back", result.Reason, StringComparison.Ordinal);
        Assert.Contains("zdp rollback", result.Reason, StringComparison.Ordinal);
        var now = h.Platform.Snapshot();
        Assert.All(now.On(Side.Stable), t => Assert.Equal((true, TargetHealth.Healthy), (t.Registered, t.Health)));
        Assert.Equal(2, now.Targets.Count(t => t.Updated)); // version restore is what was left
        var journal = (await h.Platform.Store.ReadJournalAsync(CancellationToken.None))!;
        Assert.Equal(DeploymentStatus.RollingBack, journal.Status);
        Assert.True(journal.RollbackStepsCompleted < journal.RollbackSteps!.Count);
        Assert.Null(((InMemoryDeploymentStore)h.Platform.Store).CurrentLease);
        engine.AssertSafe();

        // The lease was released, so `zdp rollback` from another run starts at once and finishes the job.
        var next = new EngineHarness(h.Spec, time: h.Time, platform: h.Platform) { Owner = "runner-b" };
        var finished = await next.DriveAsync(next.Engine().RollbackAsync(h.Spec, "finish", CancellationToken.None));
        Assert.Equal(DeploymentOutcome.RolledBack, finished.Outcome);
        h.AssertRestored();
        next.AssertSafe();
    }

    [Fact]
    public async Task Two_cancels_at_once_during_a_canary_still_bring_the_weight_back_to_zero()
    {
        var h = new EngineHarness(Specs.Canary(null, new() { SetWeight = 10 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(1)) }, new() { SetWeight = 90 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(10)) }));
        using var cancel = new CancellationTokenSource();
        using var interrupt = new CancellationTokenSource();
        var engine = new EngineHarness(h.Spec, time: h.Time, platform: h.Platform) { Options = new EngineOptions { Interrupt = interrupt.Token } };
        var run = engine.Engine().DeployAsync(h.Spec, h.Plan(), "digest-1", cancel.Token);
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().CandidateWeight == 90, TimeSpan.FromMinutes(10));

        await cancel.CancelAsync();
        await interrupt.CancelAsync();
        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.Cancelled, result.Outcome);
        Assert.Equal(0, h.Platform.Snapshot().CandidateWeight);
        Assert.Equal(DeploymentStatus.RolledBack, (await h.Platform.Store.ReadJournalAsync(CancellationToken.None))!.Status);
        h.AssertRestored();
        engine.AssertSafe();
    }

    [Fact]
    public async Task A_rollback_past_its_cancel_budget_stops_keeps_the_journal_and_releases_the_lease()
    {
        var h = new EngineHarness(Specs.Rolling(batch: 2, maxUnavailable: 2));
        h.Platform.CapacityFloor = 4;
        using var cancel = new CancellationTokenSource();
        // Re-registered targets need 10 s to turn healthy; the budget is 4 s.
        var engine = new EngineHarness(h.Spec, time: h.Time, platform: h.Platform) { Options = new EngineOptions { CancelRollbackBudget = TimeSpan.FromSeconds(4) } };
        var run = engine.Engine().DeployAsync(h.Spec, h.Plan(), "digest-1", cancel.Token);
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().Targets.Any(t => t.Health == TargetHealth.Draining), TimeSpan.FromMinutes(10));

        await cancel.CancelAsync();
        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.Cancelled, result.Outcome);
        Assert.Contains("ran out of its cancel budget (4s)", result.Reason, StringComparison.Ordinal);
        Assert.Equal(DeploymentStatus.RollingBack, (await h.Platform.Store.ReadJournalAsync(CancellationToken.None))!.Status);
        Assert.Null(((InMemoryDeploymentStore)h.Platform.Store).CurrentLease);

        var next = new EngineHarness(h.Spec, time: h.Time, platform: h.Platform) { Owner = "runner-b" };
        var finished = await next.DriveAsync(next.Engine().DeployAsync(h.Spec, h.Plan(), "digest-1", CancellationToken.None));
        Assert.Equal(DeploymentOutcome.RolledBack, finished.Outcome);
        h.AssertRestored();
        next.AssertSafe();
    }

    [Fact]
    public async Task A_cancel_during_a_failed_gates_rollback_finishes_the_traffic_move_and_stops()
    {
        var spec = Specs.Rolling(batch: 2, maxUnavailable: 2) with { Gates = [Specs.Scripted("check")] };
        spec = spec with { Strategy = spec.Strategy with { Rolling = spec.Strategy.Rolling! with { Gates = ["check"] } } };
        var h = new EngineHarness(spec);
        h.Platform.CapacityFloor = 4;
        h.Scripted.Answer("check", 0, 1);
        using var cancel = new CancellationTokenSource();
        var run = h.Engine().DeployAsync(h.Spec, h.Plan(), "digest-1", cancel.Token);
        // The gate failed after batch two; the rollback is putting batch one back to the previous version.
        await h.RunClockUntilAsync(() => h.Events.OfType<StepStarted>().Any(s => s.Rollback && s.Description.StartsWith("deregister", StringComparison.Ordinal)), TimeSpan.FromMinutes(10));

        await cancel.CancelAsync();
        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.Cancelled, result.Outcome);
        Assert.Equal(DeploymentStatus.RollingBack, (await h.Platform.Store.ReadJournalAsync(CancellationToken.None))!.Status);
        Assert.All(h.Platform.Snapshot().On(Side.Stable).Where(t => t.Registered), t => Assert.Equal(TargetHealth.Healthy, t.Health));
        h.AssertSafe();
    }
}
