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

    /// <summary>Picks the random suffix of deployment ids; seed it in tests for ids that repeat.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>How long a rollback started by cancellation may take (GitHub gives ~10 s before SIGKILL).</summary>
    public TimeSpan CancelRollbackBudget { get; init; } = EngineDefaults.CancelRollbackBudget;
}

public static class EngineDefaults
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(200);
    /// <summary>spinnaker #3419: 340 DescribeTargetHealth calls a minute is too many; 10 s caps it at 6.</summary>
    public static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CancelRollbackBudget = TimeSpan.FromMinutes(5);
}
