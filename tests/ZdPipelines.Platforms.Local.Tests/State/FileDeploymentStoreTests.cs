using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Local.State;

namespace ZdPipelines.Platforms.Local.Tests.State;

public sealed class FileDeploymentStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "zdp-store-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_same_deployment_resumed_by_another_owner_waits_for_the_lease_to_lapse()
    {
        var store = new FileDeploymentStore(_directory, _time);
        await store.TryAcquireLeaseAsync(Lease("d-1"), CancellationToken.None);

        var other = await store.TryAcquireLeaseAsync(Lease("d-1") with { Owner = "other-runner" }, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(11));
        var later = await store.TryAcquireLeaseAsync(Lease("d-1") with { Owner = "other-runner" }, CancellationToken.None);

        Assert.False(other.Acquired);
        Assert.True(later.Acquired);
    }

    [Fact]
    public async Task A_second_deployment_id_is_refused_while_the_lease_is_held()
    {
        var store = new FileDeploymentStore(_directory, _time);
        var first = Lease("d-1");

        Assert.True((await store.TryAcquireLeaseAsync(first, CancellationToken.None)).Acquired);
        var second = await store.TryAcquireLeaseAsync(Lease("d-2"), CancellationToken.None);

        Assert.False(second.Acquired);
        Assert.Equal(first, second.Holder);
    }

    [Fact]
    public async Task The_same_deployment_id_re_acquires_its_lease_and_extends_it()
    {
        var store = new FileDeploymentStore(_directory, _time);
        await store.TryAcquireLeaseAsync(Lease("d-1"), CancellationToken.None);
        var extended = Lease("d-1") with { ExpiresAt = _time.GetUtcNow().AddMinutes(30) };

        var again = await store.TryAcquireLeaseAsync(extended, CancellationToken.None);

        Assert.True(again.Acquired);
        Assert.Equal(extended, (await store.TryAcquireLeaseAsync(Lease("d-2"), CancellationToken.None)).Holder);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over()
    {
        var store = new FileDeploymentStore(_directory, _time);
        await store.TryAcquireLeaseAsync(Lease("d-1"), CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(11));
        var takeover = await store.TryAcquireLeaseAsync(Lease("d-2"), CancellationToken.None);

        Assert.True(takeover.Acquired);
        Assert.Equal("d-2", takeover.Holder!.DeploymentId);
    }

    [Fact]
    public async Task A_released_lease_can_be_taken_and_only_its_holder_releases_it()
    {
        var store = new FileDeploymentStore(_directory, _time);
        await store.TryAcquireLeaseAsync(Lease("d-1"), CancellationToken.None);

        await store.ReleaseLeaseAsync("d-2", CancellationToken.None);
        Assert.False((await store.TryAcquireLeaseAsync(Lease("d-2"), CancellationToken.None)).Acquired);
        await store.ReleaseLeaseAsync("d-1", CancellationToken.None);

        Assert.True((await store.TryAcquireLeaseAsync(Lease("d-2"), CancellationToken.None)).Acquired);
    }

    [Fact]
    public async Task Two_stores_racing_for_the_lease_let_exactly_one_win()
    {
        // Two instances on one directory behave as two processes would: each opens the lock file itself.
        for (var round = 0; round < 20; round++)
        {
            var directory = Path.Combine(_directory, round.ToString());
            var a = new FileDeploymentStore(directory, TimeProvider.System);
            var b = new FileDeploymentStore(directory, TimeProvider.System);
            var expires = DateTimeOffset.UtcNow.AddMinutes(10);

            var results = await Task.WhenAll(
                Task.Run(() => a.TryAcquireLeaseAsync(new Lease("a", "host-a", expires), CancellationToken.None)),
                Task.Run(() => b.TryAcquireLeaseAsync(new Lease("b", "host-b", expires), CancellationToken.None)));

            Assert.Single(results, r => r.Acquired);
            Assert.Equal(results.Single(r => r.Acquired).Holder, results.Single(r => !r.Acquired).Holder);
        }
    }

    [Fact]
    public async Task A_journal_round_trips_with_its_plan_steps()
    {
        var store = new FileDeploymentStore(_directory, _time);
        var journal = SampleJournal();

        await store.WriteJournalAsync(journal, CancellationToken.None);
        var read = await new FileDeploymentStore(_directory, _time).ReadJournalAsync(CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(journal with { Plan = read!.Plan, Start = read.Start, RollbackSteps = read.RollbackSteps }, read);
        Assert.Equal(journal.RollbackSteps!, read.RollbackSteps!, StepComparer.Instance);
        Assert.Equal(journal.Plan.Steps, read.Plan.Steps, StepComparer.Instance);
        Assert.Equal(journal.Plan.Rollback, read.Plan.Rollback, StepComparer.Instance);
        Assert.Equal(journal.Plan.Notes, read.Plan.Notes);
        Assert.Equal(journal.Plan.PredictedMinimum, read.Plan.PredictedMinimum);
        Assert.Equal(journal.Start.Targets, read.Start.Targets);
        Assert.Equal(journal.Start.Timings, read.Start.Timings);
        Assert.Equal(journal.Start with { Targets = read.Start.Targets, Timings = read.Start.Timings }, read.Start);
    }

    [Fact]
    public async Task A_rewritten_journal_replaces_the_old_one_and_leaves_no_temporary_files()
    {
        var store = new FileDeploymentStore(_directory, _time);
        await store.WriteJournalAsync(SampleJournal(), CancellationToken.None);

        await store.WriteJournalAsync(SampleJournal() with { StepsCompleted = 3, PromoteRequested = true }, CancellationToken.None);

        var read = await store.ReadJournalAsync(CancellationToken.None);
        Assert.Equal(3, read!.StepsCompleted);
        Assert.True(read.PromoteRequested);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public async Task No_journal_reads_as_null()
    {
        Assert.Null(await new FileDeploymentStore(_directory, _time).ReadJournalAsync(CancellationToken.None));
    }

    private Lease Lease(string id) => new(id, "ci-runner", _time.GetUtcNow().AddMinutes(10));

    private Journal SampleJournal() => new()
    {
        DeploymentId = "d-1",
        Service = "shop",
        Strategy = "canary",
        Status = DeploymentStatus.Paused,
        Plan = new DeploymentPlan(
            "canary",
            [
                new WaitHealthy(Side.Candidate, ["candidate-1"], 1),
                new SetWeight(20),
                new RunGate("errors", Side.Candidate),
                new Pause(TimeSpan.FromSeconds(30)),
                new Pause(null),
                new RunHook("smoke", ["candidate-1"]),
                new Deregister(["stable-1", "stable-2"], MinHealthyAfter: 1),
                new UpdateTargets(["stable-1"], ToPrevious: false, Hook: null),
                new Register(["stable-1"]),
                new SwitchTraffic(Side.Candidate),
                new RetainPrevious(TimeSpan.FromMinutes(30)),
            ],
            [new SetWeight(0), new SwitchTraffic(Side.Stable)],
            TimeSpan.FromMinutes(2),
            ["a note"]),
        StepsCompleted = 2,
        Start = new PlatformSnapshot
        {
            ActiveSide = Side.Stable,
            CandidateWeight = 0,
            Targets = [new TargetStatus("stable-1", Side.Stable, true, TargetHealth.Healthy), new TargetStatus("candidate-1", Side.Candidate, true, TargetHealth.Initial, Updated: true)],
            Timings = new PlatformTimings { HealthCheckInterval = TimeSpan.FromMilliseconds(100), HealthyThreshold = 3, DeregistrationDelay = TimeSpan.FromSeconds(2) },
            Address = "http://127.0.0.1:8080",
            PreviewAddress = "http://127.0.0.1:9090",
        },
        StartedAt = _time.GetUtcNow(),
        SpecDigest = "sha256:abc",
        CurrentStepStartedAt = _time.GetUtcNow().AddSeconds(3),
        RollbackSteps = [new SetWeight(0)],
        RollbackStepsCompleted = 1,
        UpdatedAt = _time.GetUtcNow().AddSeconds(5),
        Reason = "paused for promote",
        PreviousKeptUntil = _time.GetUtcNow().AddMinutes(30),
    };

    /// <summary>Steps are records, but those holding lists compare the lists by reference; compare what they say instead.</summary>
    private sealed class StepComparer : IEqualityComparer<PlanStep>
    {
        public static readonly StepComparer Instance = new();

        public bool Equals(PlanStep? x, PlanStep? y) => x?.GetType() == y?.GetType() && x?.Describe() == y?.Describe();

        public int GetHashCode(PlanStep obj) => obj.Describe().GetHashCode(StringComparison.Ordinal);
    }
}
