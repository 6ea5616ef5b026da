using ZdPipelines.Core.Engine;
using ZdPipelines.Platforms.Simulated;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Tests.Support;

namespace ZdPipelines.Core.Tests.Engine;

/// <summary>Cancellation, crashes, concurrent runs, promote and abort from another process.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task Cancellation_during_a_pause_rolls_back_to_the_start()
    {
        var h = new EngineHarness(Specs.Canary(null, new() { SetWeight = 30 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(10)) }));
        using var cts = new CancellationTokenSource();
        var run = h.DeployAsync(cancellationToken: cts.Token);
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().CandidateWeight == 30, TimeSpan.FromMinutes(5));

        await cts.CancelAsync();
        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.Cancelled, result.Outcome);
        h.AssertRestored();
        h.AssertSafe();
    }

    [Fact]
    public async Task Cancellation_while_a_batch_drains_puts_the_batch_back()
    {
        var h = new EngineHarness(Specs.Rolling(batch: 2, maxUnavailable: 2));
        h.Platform.CapacityFloor = 4;
        using var cts = new CancellationTokenSource();
        var run = h.DeployAsync(cancellationToken: cts.Token);
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().Targets.Any(t => t.Health == Platforms.TargetHealth.Draining), TimeSpan.FromMinutes(5));

        await cts.CancelAsync();
        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.Cancelled, result.Outcome);
        h.AssertRestored();
        h.AssertSafe();
    }

    /// <summary>
    /// The process dies right after the k-th change took effect, before the journal records it. A re-run
    /// of the same spec, once the dead run's lease has expired, must finish the deployment without
    /// repeating work: every target updated exactly once, the same end state as an undisturbed run.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public async Task A_rerun_after_a_crash_converges_without_doubling_work(int crashAfterMutation)
    {
        var first = new EngineHarness(Specs.Rolling(batch: 2, maxUnavailable: 2)) { Owner = "runner-a" };
        first.Platform.CapacityFloor = 4;
        var second = await first.CrashAsync((n, _) => n == crashAfterMutation);
        var result = await second.DriveAsync(second.Engine().DeployAsync(first.Spec, first.Plan(), "digest-1", default));

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.True(second.Events.OfType<DeploymentStarted>().Single().Resumed);
        Assert.All(second.Platform.Snapshot().On(Side.Stable), t =>
        {
            Assert.True(t.Updated);
            Assert.True(t.Registered);
            Assert.Equal(1, second.Platform.UpdatesOf(t.Id));
        });
        second.AssertSafe();
    }

    [Fact]
    public async Task A_rerun_after_a_crash_during_rollback_finishes_the_rollback()
    {
        var spec = Specs.Canary(null, new() { SetWeight = 20 }, new() { Gate = "check" }) with { Gates = [Specs.ErrorRate(), Specs.Scripted("check")] };
        var first = new EngineHarness(spec) { Owner = "runner-a" };
        first.Scripted.Answer("check", 1);
        var second = await first.CrashAsync((_, what) => what == "weight 0", beforeTheChange: true);
        Assert.Equal(DeploymentStatus.RollingBack, (await first.Platform.ReadJournalAsync(default))!.Status);
        var result = await second.DriveAsync(second.Engine().DeployAsync(spec, first.Plan(), "digest-1", default));

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("gate 'check' failed", result.Reason, StringComparison.Ordinal);
        first.AssertRestored();
    }

    [Fact]
    public async Task Rollback_after_a_crash_restores_the_journalled_start()
    {
        var first = new EngineHarness(Specs.Canary()) { Owner = "runner-a" };
        var second = await first.CrashAsync((n, _) => n == 2);
        var result = await second.DriveAsync(second.Engine().RollbackAsync(first.Spec, "operator", default));

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        first.AssertRestored();
    }

    [Fact]
    public async Task A_second_deployment_of_the_same_target_is_refused_while_the_first_runs()
    {
        var h = new EngineHarness(Specs.Canary(null, new() { SetWeight = 10 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(5)) })) { Owner = "runner-a" };
        var run = h.DeployAsync();
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().CandidateWeight == 10, TimeSpan.FromMinutes(5));

        var other = new EngineHarness(h.Spec, time: h.Time, platform: h.Platform) { Owner = "runner-b" };
        var refused = await other.Engine().DeployAsync(h.Spec, h.Plan(), "digest-2", default);

        Assert.Equal(DeploymentOutcome.Refused, refused.Outcome);
        Assert.Contains("by runner-a holds", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(DeploymentOutcome.Promoted, (await h.DriveAsync(run)).Outcome);
    }

    [Fact]
    public async Task A_different_spec_does_not_take_over_a_dead_run_and_says_to_resume_or_roll_back()
    {
        var first = new EngineHarness(Specs.Canary()) { Owner = "runner-a" };
        var second = await first.CrashAsync((_, _) => true);
        var refused = await second.Engine().DeployAsync(first.Spec, first.Plan(), "another-digest", default);

        Assert.Equal(DeploymentOutcome.Refused, refused.Outcome);
        Assert.Contains("zdp resume", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("zdp rollback", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lease_is_renewed_through_a_pause_longer_than_the_lease_itself()
    {
        var h = new EngineHarness(Specs.Canary(null, new() { SetWeight = 10 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(20)) })) { Owner = "runner-a" };
        var run = h.DeployAsync();
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().CandidateWeight == 10, TimeSpan.FromMinutes(5));
        var pausedAt = h.Time.GetUtcNow();
        await h.RunClockUntilAsync(() => h.Time.GetUtcNow() - pausedAt > EngineDefaults.LeaseDuration * 4, TimeSpan.FromMinutes(15));

        var other = new EngineHarness(h.Spec, time: h.Time, platform: h.Platform) { Owner = "runner-b" };
        var refused = await other.Engine().DeployAsync(h.Spec, h.Plan(), "digest-2", default);

        Assert.Equal(DeploymentOutcome.Refused, refused.Outcome);
        Assert.Equal(DeploymentOutcome.Promoted, (await h.DriveAsync(run)).Outcome);
        Assert.Null(((InMemoryDeploymentStore)h.Platform.Store).CurrentLease);
    }

    [Fact]
    public async Task A_pause_until_promote_waits_for_zdp_promote_from_another_process()
    {
        var h = new EngineHarness(Specs.Canary(null, new() { SetWeight = 20 }, new() { Pause = new PauseSpec(null) }, new() { SetWeight = 60 }));
        var run = h.DeployAsync();
        await h.RunClockUntilAsync(() => h.Platform.ReadJournalAsync(default).Result?.Status == DeploymentStatus.Paused, TimeSpan.FromMinutes(5));
        var waited = h.Time.GetUtcNow();
        await h.RunClockUntilAsync(() => h.Time.GetUtcNow() - waited >= TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(31));
        Assert.Equal(20, h.Platform.Snapshot().CandidateWeight); // still paused: a pause until promote does not end by itself

        var promoted = (await new EngineHarness(h.Spec, time: h.Time, platform: h.Platform).Engine().RequestPromoteAsync(h.Spec, default)).Journal;
        var result = await h.DriveAsync(run);

        Assert.NotNull(promoted);
        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Contains(60, h.WeightsSeen);
    }

    [Fact]
    public async Task Zdp_abort_from_another_process_rolls_the_running_deployment_back()
    {
        var h = new EngineHarness(Specs.Canary(null, new() { SetWeight = 20 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(30)) }));
        var run = h.DeployAsync();
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().CandidateWeight == 20, TimeSpan.FromMinutes(5));

        await new EngineHarness(h.Spec, time: h.Time, platform: h.Platform).Engine().RequestAbortAsync(h.Spec, default);
        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("zdp abort", result.Reason, StringComparison.Ordinal);
        h.AssertRestored();
    }

    [Fact]
    public async Task A_pause_nobody_promotes_rolls_back_after_the_promote_timeout()
    {
        var spec = Specs.Canary(null, new() { SetWeight = 20 }, new() { Pause = new PauseSpec(null) }) with
        {
            Timeouts = new TimeoutsSpec { Promote = TimeSpan.FromMinutes(30), Total = TimeSpan.FromHours(2) },
        };
        var h = new EngineHarness(spec);

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("timeouts.promote (30m)", result.Reason, StringComparison.Ordinal);
        h.AssertRestored();
    }

    [Fact]
    public async Task The_journal_records_the_starting_state_and_the_step_reached()
    {
        var h = new EngineHarness(Specs.Canary(null, new() { SetWeight = 20 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(30)) }));
        var run = h.DeployAsync();
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().CandidateWeight == 20, TimeSpan.FromMinutes(5));
        await Task.Delay(20);

        var journal = (await ((InMemoryDeploymentStore)h.Platform.Store).ReadJournalAsync(default))!;

        Assert.Equal(DeploymentStatus.Running, journal.Status);
        Assert.Equal(2, journal.StepsCompleted);
        Assert.Equal(0, journal.Start.CandidateWeight);
        Assert.Equal(Side.Stable, journal.Start.ActiveSide);
        Assert.IsType<Pause>(journal.Plan.Steps[journal.StepsCompleted]);
        await h.Engine().RequestPromoteAsync(h.Spec, default);
        await h.DriveAsync(run);
    }
}
