using System.Text.Json.Serialization;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine;

/// <summary>
/// What the engine reports while it works: the console shows them as progress, `--output json`
/// writes them as lines, CI hosts turn them into job summaries.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(DeploymentStarted), "started")]
[JsonDerivedType(typeof(StepStarted), "stepStarted")]
[JsonDerivedType(typeof(StepCompleted), "stepCompleted")]
[JsonDerivedType(typeof(StepSkipped), "stepSkipped")]
[JsonDerivedType(typeof(Waiting), "waiting")]
[JsonDerivedType(typeof(TrafficShifted), "trafficShifted")]
[JsonDerivedType(typeof(GateMeasured), "gateMeasured")]
[JsonDerivedType(typeof(GateEvaluated), "gateEvaluated")]
[JsonDerivedType(typeof(RollbackStarted), "rollbackStarted")]
[JsonDerivedType(typeof(Warning), "warning")]
[JsonDerivedType(typeof(DeploymentFinished), "finished")]
public abstract record DeploymentEvent(DateTimeOffset At);

public sealed record DeploymentStarted(DateTimeOffset At, string DeploymentId, string Strategy, int Steps, bool Resumed) : DeploymentEvent(At);

public sealed record StepStarted(DateTimeOffset At, int Index, int Of, string Description, bool Rollback) : DeploymentEvent(At);

public sealed record StepCompleted(DateTimeOffset At, int Index, int Of, string Description, TimeSpan Took, bool Rollback) : DeploymentEvent(At);

/// <summary>The step's effect was already in place (a re-run after a crash): nothing was changed.</summary>
public sealed record StepSkipped(DateTimeOffset At, int Index, int Of, string Description, bool Rollback) : DeploymentEvent(At);

/// <summary>Traffic moved: the candidate's share of it (0..100) and the side that takes it when no split is set. For charts of a rollout.</summary>
public sealed record TrafficShifted(DateTimeOffset At, int CandidateWeight, Side ActiveSide) : DeploymentEvent(At);

/// <summary>A wait in progress: health, drain, pause.</summary>
public sealed record Waiting(DateTimeOffset At, string What, TimeSpan Elapsed, int Polls) : DeploymentEvent(At);

public sealed record GateMeasured(DateTimeOffset At, GateResult SoFar) : DeploymentEvent(At);

public sealed record GateEvaluated(DateTimeOffset At, GateResult Result) : DeploymentEvent(At);

/// <summary>Something the user should know that does not change the outcome (a post-promote hook failed).</summary>
public sealed record Warning(DateTimeOffset At, string Message) : DeploymentEvent(At);

public sealed record RollbackStarted(DateTimeOffset At, string Reason) : DeploymentEvent(At);

public sealed record DeploymentFinished(DateTimeOffset At, string DeploymentId, DeploymentOutcome Outcome, string? Reason, TimeSpan Took, int Polls) : DeploymentEvent(At);

public enum DeploymentOutcome
{
    Promoted,
    RolledBack,
    Failed,
    /// <summary>Cancelled (Ctrl+C, SIGTERM); the starting state was restored.</summary>
    Cancelled,
    /// <summary>Not started: the spec or plan is refused, or another deployment holds the target.</summary>
    Refused,
}
