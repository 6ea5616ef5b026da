namespace ZdPipelines.Core.Engine;

/// <summary>How the engine waits and holds its lease. Every default says why it is what it is.</summary>
public sealed record EngineOptions
{
    /// <summary>Who runs the deployment ("ci-runner-7 pid 4242"), written into the lease for the refusal message.</summary>
    public string Owner { get; init; } = "zdp";

    /// <summary>
    /// How long the lease holds without renewal. The engine renews at every poll, so only a dead run lets
    /// it lapse; two minutes is long enough for a slow API call and short enough for a resume to start soon.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = EngineDefaults.LeaseDuration;

    /// <summary>Shortest gap between two polls of the platform.</summary>
    public TimeSpan MinPoll { get; init; } = EngineDefaults.MinPoll;

    /// <summary>Longest gap between two polls: bounds how late a finished wait is noticed.</summary>
    public TimeSpan MaxPoll { get; init; } = EngineDefaults.MaxPoll;

    /// <summary>
    /// How long an observation stands for the platform as it is, as long as the run changed nothing, ran no hook and
    /// waited for nothing since: the next step's check and traffic guard use it instead of polling again.
    /// </summary>
    public TimeSpan ObservationFreshFor { get; init; } = EngineDefaults.ObservationFreshFor;

    /// <summary>
    /// How often a running deployment looks for `zdp promote` and `zdp abort` (one read of the store, never a write): at
    /// every poll of a pause, and between steps once this long has passed since it last looked.
    /// </summary>
    public TimeSpan SignalPoll { get; init; } = EngineDefaults.SignalPoll;

    /// <summary>
    /// How close to its expiry, by this run's own clock, the lease counts as lost: a run frozen (SIGSTOP, a suspended VM)
    /// past that point may have been taken over, so it stops instead of acting again. Covers clock skew between machines
    /// and the time a renewal takes to land.
    /// </summary>
    public TimeSpan LeaseSafetyMargin { get; init; } = EngineDefaults.LeaseSafetyMargin;

    /// <summary>
    /// Take over a lease held by a run the user says is dead (`--take-over`). Without it, only a holder on this machine
    /// whose process is gone is taken over before its lease expires.
    /// </summary>
    public bool TakeOverLease { get; init; }

    /// <summary>Masks secrets in what the engine writes into the journal (reasons quote gate details and hook output).</summary>
    public Func<string, string> Redact { get; init; } = text => text;

    /// <summary>Picks the random suffix of deployment ids; seed it in tests for ids that repeat.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>
    /// How long a rollback may run once the deployment is cancelled: from the cancel for a rollback the cancel started,
    /// from the cancel's arrival for one that was already under way. Past it, the call in flight is abandoned and the
    /// journal keeps what is left for `zdp rollback`. Interactive use can wait minutes; a CI host sets what its runner
    /// allows before the kill (<see cref="EngineDefaults.CiCancelRollbackBudget"/>).
    /// </summary>
    public TimeSpan CancelRollbackBudget { get; init; } = EngineDefaults.CancelRollbackBudget;

    /// <summary>
    /// A second cancel (the runner's SIGTERM after its SIGINT, `timeout` signalling the process group, Ctrl+C twice).
    /// The rollback does not stop in the middle of moving traffic back: it finishes the steps that restore capacity and
    /// traffic (<see cref="Plans.RollbackPlanner.UrgentSteps"/>), then stops, leaves the rest in the journal and releases
    /// the lease so `zdp rollback` can finish at once. A rollback that was not started by a cancel stops the same way at
    /// the first cancel.
    /// </summary>
    public CancellationToken Interrupt { get; init; }
}

public static class EngineDefaults
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);
    /// <summary>A sixth of the lease: more than any clock skew NTP leaves and a slow renewal, less than the quarter-lease renewal period.</summary>
    public static readonly TimeSpan LeaseSafetyMargin = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(200);
    /// <summary>spinnaker #3419: 340 DescribeTargetHealth calls a minute is too many; 10 s caps it at 6.</summary>
    public static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CancelRollbackBudget = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A second: load balancers health-check every 5 s at the fastest (ALB HealthCheckIntervalSeconds 5-300), so a reading
    /// that young says what a new one would, while the journal write or two between two steps fit in it.
    /// </summary>
    public static readonly TimeSpan ObservationFreshFor = TimeSpan.FromSeconds(1);

    /// <summary>Five seconds: a promote or abort acts about as soon as a person looks up from typing it, at one read per 5 s (12 a minute) while paused.</summary>
    public static readonly TimeSpan SignalPoll = TimeSpan.FromSeconds(5);

    /// <summary>
    /// GitHub's runner and the Azure DevOps agent kill 10 s after their SIGINT (SIGTERM at 7.5 s; ci-hosts.md). Eight
    /// seconds leaves the rest for the journal, the lease release, the final status and the summary.
    /// </summary>
    public static readonly TimeSpan CiCancelRollbackBudget = TimeSpan.FromSeconds(8);
}
