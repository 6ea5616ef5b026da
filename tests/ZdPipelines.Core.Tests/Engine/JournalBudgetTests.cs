using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Tests.Support;
using ZdPipelines.Platforms.Simulated;

namespace ZdPipelines.Core.Tests.Engine;

/// <summary>
/// What the engine reads and writes through the store: a write after each change, none while a pause waits for
/// nothing, a read per signal poll to see promote and abort. Every call a store makes is an API call on a cloud.
/// </summary>
public sealed class JournalBudgetTests
{
    [Fact]
    public async Task A_pause_until_promote_writes_nothing_while_nobody_promotes_and_reads_once_per_signal_poll()
    {
        var (h, store) = Harness(Specs.Canary(null, new() { SetWeight = 20 }, new() { Pause = new PauseSpec(null) }, new() { SetWeight = 60 }));
        var run = h.DeployAsync();
        await h.RunClockUntilAsync(() => h.Platform.ReadJournalAsync(default).Result?.Status == DeploymentStatus.Paused, TimeSpan.FromMinutes(5));
        var (writes, reads, journal) = (store.Writes, store.Reads, store.Stored);

        var waited = h.Time.GetUtcNow();
        await h.RunClockUntilAsync(() => h.Time.GetUtcNow() - waited >= TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));

        Assert.Equal(writes, store.Writes);
        Assert.Same(journal, store.Stored);
        // One read per 5 s poll: four minutes are 48 polls, give or take the one in flight.
        Assert.InRange(store.Reads - reads, 47, 50);

        await new EngineHarness(h.Spec, time: h.Time, platform: h.Platform).Engine().RequestPromoteAsync(h.Spec, default);
        // One signal poll on the clock, then no more time: the promote must have been seen by then (the rest of the
        // deployment, 60 % and the switch, waits for nothing on this healthy platform).
        h.Time.Advance(EngineDefaults.SignalPoll);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Contains(60, h.WeightsSeen);
    }

    [Fact]
    public async Task A_canary_writes_its_journal_once_at_the_start_after_each_weight_change_and_once_at_the_end()
    {
        // Plan: wait healthy, 10 %, 30 %, 60 %, switch. The switch is the last change: the outcome's write records it.
        var (h, store) = Harness(Specs.Canary(null, new() { SetWeight = 10 }, new() { SetWeight = 30 }, new() { SetWeight = 60 }));

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal(1 + 3 + 1, store.Writes);
        Assert.Equal(DeploymentStatus.Succeeded, store.Stored!.Status);
        Assert.Equal(result.StepsCompleted, store.Stored.StepsCompleted);
    }

    [Fact]
    public async Task A_store_that_keeps_signals_apart_is_written_without_a_read_before_each_write()
    {
        var (h, store) = Harness(Specs.Canary(null, new() { SetWeight = 10 }, new() { SetWeight = 30 }, new() { SetWeight = 60 }), signalsApart: true);
        var engine = new EngineHarness(h.Spec, time: h.Time, platform: h.Platform) { Options = new EngineOptions { SignalPoll = TimeSpan.FromHours(1) } };

        var result = await engine.DeployAsync();

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal(5, store.Writes);
        // The one read is the deploy's own look for an unfinished deployment, before it takes the lease.
        Assert.Equal(1, store.Reads);
    }

    [Fact]
    public async Task Zdp_abort_between_steps_is_seen_at_the_next_step_after_a_signal_poll_without_any_write()
    {
        var spec = Specs.Canary(null, new() { SetWeight = 10 }, new() { SetWeight = 30 }, new() { SetWeight = 60 });
        var (h, store) = Harness(spec, signalsApart: true);
        var hang = new TaskCompletionSource();
        h.Platform.AfterMutation = async (n, what) =>
        {
            if (n == 1)
            {
                await hang.Task;
            }
        };
        var run = h.DeployAsync();
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().CandidateWeight == 10, TimeSpan.FromMinutes(1));
        await new EngineHarness(h.Spec, time: h.Time, platform: h.Platform).Engine().RequestAbortAsync(h.Spec, default);
        h.Time.Advance(EngineDefaults.SignalPoll);
        hang.SetResult();

        var result = await h.DriveAsync(run);

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("zdp abort", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(30, h.WeightsSeen);
        h.AssertRestored();
    }

    private static (EngineHarness Harness, CountingStore Store) Harness(DeploymentSpec spec, bool signalsApart = false)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var store = new CountingStore(new InMemoryDeploymentStore(time), signalsApart);
        var platform = new SimulatedPlatform(spec.Platform.OptionsAs<SimulatedPlatformOptions>(), time, store: store);
        return (new EngineHarness(spec, time: time, platform: platform), store);
    }

    /// <summary>A store that counts journal reads and writes; with <c>signalsApart</c> it keeps promote and abort beside the journal, as the ALB store does.</summary>
    private sealed class CountingStore(InMemoryDeploymentStore inner, bool signalsApart) : IDeploymentStore
    {
        private (bool Promote, bool Abort, string Id)? _signals;
        private int _reads;
        private int _writes;

        public int Reads => Volatile.Read(ref _reads);

        public int Writes => Volatile.Read(ref _writes);

        public Journal? Stored => inner.ReadJournalAsync(default).Result;

        public bool KeepsSignalsApart => signalsApart;

        public Task<LeaseResult> TryAcquireLeaseAsync(Lease wanted, CancellationToken cancellationToken) => inner.TryAcquireLeaseAsync(wanted, cancellationToken);

        public Task<LeaseResult> TakeOverLeaseAsync(Lease wanted, Lease holder, CancellationToken cancellationToken) => inner.TakeOverLeaseAsync(wanted, holder, cancellationToken);

        public Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(deploymentId, cancellationToken);

        public async Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            var journal = await inner.ReadJournalAsync(cancellationToken);
            return journal is not null && _signals is { } s && s.Id == journal.DeploymentId
                ? journal with { PromoteRequested = journal.PromoteRequested || s.Promote, AbortRequested = journal.AbortRequested || s.Abort }
                : journal;
        }

        public Task WriteJournalAsync(Journal journal, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _writes);
            if (signalsApart && _signals is { } s && s.Id == journal.DeploymentId && s.Promote && !journal.PromoteRequested)
            {
                _signals = s with { Promote = false };
            }

            return inner.WriteJournalAsync(signalsApart ? journal with { PromoteRequested = false, AbortRequested = false } : journal, cancellationToken);
        }

        public Task WriteSignalsAsync(Journal journal, CancellationToken cancellationToken)
        {
            if (!signalsApart)
            {
                return WriteJournalAsync(journal, cancellationToken);
            }

            _signals = (journal.PromoteRequested, journal.AbortRequested, journal.DeploymentId);
            return Task.CompletedTask;
        }
    }
}
