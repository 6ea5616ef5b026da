using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Tests.Support;

namespace ZdPipelines.Core.Tests.Engine;

/// <summary>
/// The lease decides who may act: a run frozen past its lease (SIGSTOP, a suspended VM) never touches the platform
/// again once it wakes, even when the store would grant the lease back; a dead holder's lease can be taken over.
/// </summary>
public sealed class LeaseFencingTests
{
    private static DeploymentSpec PausedCanary() =>
        Specs.Canary(null, new() { SetWeight = 20 }, new() { Pause = new PauseSpec(TimeSpan.FromMinutes(30)) }, new() { SetWeight = 60 });

    [Fact]
    public async Task A_run_frozen_past_its_lease_never_changes_the_platform_after_another_run_rolled_it_back()
    {
        var world = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var frozen = new FakeTimeProvider(world.GetUtcNow());
        var a = new EngineHarness(PausedCanary(), time: world) { Owner = "runner-a", EngineTime = frozen };
        var running = a.Engine().DeployAsync(a.Spec, a.Plan(), "digest-1", CancellationToken.None);
        while (a.Platform.Snapshot().CandidateWeight != 20)
        {
            await Task.Delay(1);
            world.Advance(TimeSpan.FromMilliseconds(500));
            frozen.Advance(TimeSpan.FromMilliseconds(500));
        }

        // Frozen: the world's clock runs on, the run's does not; its lease lapses and another run rolls back.
        world.Advance(EngineDefaults.LeaseDuration * 2);
        var b = new EngineHarness(a.Spec, time: world, platform: a.Platform) { Owner = "runner-b" };
        var rollback = await b.DriveAsync(b.Engine().RollbackAsync(a.Spec, "runner-a stopped answering", CancellationToken.None));
        Assert.Equal(DeploymentOutcome.RolledBack, rollback.Outcome);
        Assert.Equal(0, a.Platform.Snapshot().CandidateWeight);
        var changesAfterRollback = a.Platform.Mutations;

        // Thawed: the store would take its lease again (it is free), yet the run must stop without acting.
        frozen.Advance(EngineDefaults.LeaseDuration * 2);
        while (!running.IsCompleted)
        {
            await Task.Delay(1);
            frozen.Advance(TimeSpan.FromMilliseconds(500));
            world.Advance(TimeSpan.FromMilliseconds(500));
        }

        var result = await running;
        Assert.Equal(DeploymentOutcome.Failed, result.Outcome);
        Assert.Contains("ran out by its own clock", result.Reason, StringComparison.Ordinal);
        Assert.Equal(changesAfterRollback, a.Platform.Mutations);
        Assert.Equal(0, a.Platform.Snapshot().CandidateWeight);
        Assert.Equal(DeploymentStatus.RolledBack, (await a.Platform.ReadJournalAsync(default))!.Status);
    }

    [Fact]
    public async Task A_run_whose_renewals_keep_failing_stops_before_its_lease_runs_out()
    {
        var h = new EngineHarness(PausedCanary()) { Owner = "runner-a" };
        var running = h.Engine().DeployAsync(h.Spec, h.Plan(), "digest-1", CancellationToken.None);
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().CandidateWeight == 20, TimeSpan.FromMinutes(5));
        ((InMemoryDeploymentStore)h.Platform.Store).MarkOwnerDead("runner-a");
        var changes = h.Platform.Mutations;

        var result = await h.DriveAsync(running);

        Assert.Equal(DeploymentOutcome.Failed, result.Outcome);
        Assert.Contains("stopped without touching the platform again", result.Reason, StringComparison.Ordinal);
        Assert.Equal(changes, h.Platform.Mutations);
    }

    [Fact]
    public async Task A_rollback_takes_over_at_once_the_lease_of_a_run_of_this_machine_whose_process_is_gone()
    {
        var dead = DeadProcessId();
        var crashed = new EngineHarness(PausedCanary()) { Owner = $"{Environment.MachineName}/{dead}" };
        _ = crashed.Engine().DeployAsync(crashed.Spec, crashed.Plan(), "digest-1", CancellationToken.None);
        await crashed.RunClockUntilAsync(() => crashed.Platform.Snapshot().CandidateWeight == 20, TimeSpan.FromMinutes(5));
        ((InMemoryDeploymentStore)crashed.Platform.Store).MarkOwnerDead(crashed.Owner);

        // Well inside the dead run's lease: without the takeover this refuses until it lapses.
        var other = new EngineHarness(crashed.Spec, time: crashed.Time, platform: crashed.Platform) { Owner = $"{Environment.MachineName}/{Environment.ProcessId}" };
        var result = await other.DriveAsync(other.Engine().RollbackAsync(crashed.Spec, "the deploying zdp was killed", CancellationToken.None));

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains(other.Events.OfType<Warning>(), w => w.Message.Contains("its process is gone", StringComparison.Ordinal));
        Assert.Equal(0, crashed.Platform.Snapshot().CandidateWeight);
    }

    [Fact]
    public async Task A_live_holder_on_another_machine_is_taken_over_only_when_the_user_confirms_it_is_dead()
    {
        var crashed = new EngineHarness(PausedCanary()) { Owner = "build-agent-7/4242" };
        _ = crashed.Engine().DeployAsync(crashed.Spec, crashed.Plan(), "digest-1", CancellationToken.None);
        await crashed.RunClockUntilAsync(() => crashed.Platform.Snapshot().CandidateWeight == 20, TimeSpan.FromMinutes(5));
        ((InMemoryDeploymentStore)crashed.Platform.Store).MarkOwnerDead(crashed.Owner);

        var refused = await new EngineHarness(crashed.Spec, time: crashed.Time, platform: crashed.Platform) { Owner = "laptop/1" }
            .Engine().RollbackAsync(crashed.Spec, "checking", CancellationToken.None);
        var confirmed = new EngineHarness(crashed.Spec, time: crashed.Time, platform: crashed.Platform) { Owner = "laptop/1", Options = new EngineOptions { TakeOverLease = true } };
        var result = await confirmed.DriveAsync(confirmed.Engine().RollbackAsync(crashed.Spec, "build-agent-7 was wiped", CancellationToken.None));

        Assert.Equal(DeploymentRefusal.Held, refused.Refusal);
        Assert.Contains("--take-over", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
    }

    [Fact]
    public async Task A_deployment_that_fails_before_changing_anything_gives_its_lease_back()
    {
        var h = new EngineHarness(Specs.Canary());
        var store = (InMemoryDeploymentStore)h.Platform.Store;
        var failing = new FailingJournalStore(store);
        var platform = new ZdPipelines.Platforms.Simulated.SimulatedPlatform(h.Spec.Platform.OptionsAs<SimulatedPlatformOptions>(), h.Time, store: failing);
        var engine = new EngineHarness(h.Spec, time: h.Time, platform: platform).Engine();

        await Assert.ThrowsAsync<IOException>(() => engine.DeployAsync(h.Spec, h.Plan(), "digest-1", CancellationToken.None));

        Assert.Null(store.CurrentLease);
        Assert.Equal(0, platform.Mutations);
    }

    [Fact]
    public async Task A_signal_or_resume_for_another_service_on_the_same_target_is_refused_naming_both()
    {
        var h = new EngineHarness(PausedCanary());
        _ = h.Engine().DeployAsync(h.Spec, h.Plan(), "digest-1", CancellationToken.None);
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().CandidateWeight == 20, TimeSpan.FromMinutes(5));
        var other = h.Spec with { Name = "billing-api" };
        var engine = new EngineHarness(other, time: h.Time, platform: h.Platform) { Owner = "elsewhere" }.Engine();

        var promote = await engine.RequestPromoteAsync(other, CancellationToken.None);
        var resume = await engine.ResumeAsync(other, CancellationToken.None);
        var rollback = await engine.RollbackAsync(other, "wrong spec", CancellationToken.None);

        Assert.All([promote.Refusal, resume.Refusal, rollback.Refusal], r => Assert.Equal(DeploymentRefusal.OtherService, r));
        Assert.Contains("of service 'shop-api', but this spec is for 'billing-api'", promote.Reason, StringComparison.Ordinal);
        Assert.False((await h.Platform.ReadJournalAsync(default))!.PromoteRequested);
        Assert.Equal(20, h.Platform.Snapshot().CandidateWeight);
    }

    /// <summary>The id of a process that has just exited: nothing runs under it.</summary>
    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    /// <summary>A store whose first journal write fails, as a throttled or unreachable tag API would.</summary>
    private sealed class FailingJournalStore(InMemoryDeploymentStore inner) : ZdPipelines.Core.Platforms.IDeploymentStore
    {
        public Task<ZdPipelines.Core.Platforms.LeaseResult> TryAcquireLeaseAsync(ZdPipelines.Core.Platforms.Lease wanted, CancellationToken cancellationToken) => inner.TryAcquireLeaseAsync(wanted, cancellationToken);

        public Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(deploymentId, cancellationToken);

        public Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken) => inner.ReadJournalAsync(cancellationToken);

        public Task WriteJournalAsync(Journal journal, CancellationToken cancellationToken) => throw new IOException("the tag API did not answer");
    }
}
