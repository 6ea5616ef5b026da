using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine;

/// <summary>
/// What a deployment has done so far, written through the platform's <see cref="IDeploymentStore"/>
/// after every step, so a run that died can be resumed or rolled back from any machine.
/// </summary>
public sealed record Journal
{
    public required string DeploymentId { get; init; }
    public required string Service { get; init; }
    public required string Strategy { get; init; }
    public required DeploymentStatus Status { get; init; }
    public required DeploymentPlan Plan { get; init; }
    /// <summary>Number of plan steps completed; the next step to run has this index.</summary>
    public int StepsCompleted { get; init; }
    /// <summary>The state recorded before the first change; a rollback restores it.</summary>
    public required PlatformSnapshot Start { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>Digest of the spec text, so a re-run of the same spec resumes instead of starting over.</summary>
    public string? SpecDigest { get; init; }
    /// <summary>When the step at <see cref="StepsCompleted"/> started; a resumed pause waits only what is left.</summary>
    public DateTimeOffset? CurrentStepStartedAt { get; init; }
    /// <summary>Steps of the rollback completed, when <see cref="Status"/> is RollingBack.</summary>
    public IReadOnlyList<PlanStep>? RollbackSteps { get; init; }
    public int RollbackStepsCompleted { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Set by `zdp promote` from another process: ends a pause early.</summary>
    public bool PromoteRequested { get; init; }
    /// <summary>Set by `zdp abort` from another process: the running engine rolls back.</summary>
    public bool AbortRequested { get; init; }
    /// <summary>Why the deployment ended the way it did (the failed gate and its value, a timeout).</summary>
    public string? Reason { get; init; }
    /// <summary>Until when the previous side is kept (blue-green) so that `zdp rollback` is one switch.</summary>
    public DateTimeOffset? PreviousKeptUntil { get; init; }
}

public enum DeploymentStatus
{
    Running,
    Paused,
    RollingBack,
    Succeeded,
    RolledBack,
    /// <summary>Stopped with the platform in a state the engine could not restore; a human must look.</summary>
    Failed,
}
