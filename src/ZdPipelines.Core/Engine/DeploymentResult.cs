using ZdPipelines.Core.Gates;

namespace ZdPipelines.Core.Engine;

/// <summary>How a deployment ended, with everything the summary and the exit code need.</summary>
/// <param name="Refusal">Why nothing was started, when <paramref name="Outcome"/> is <see cref="DeploymentOutcome.Refused"/>.</param>
public sealed record DeploymentResult(
    string DeploymentId,
    DeploymentOutcome Outcome,
    string? Reason,
    IReadOnlyList<GateResult> Gates,
    int StepsCompleted,
    TimeSpan Took,
    int Polls,
    DeploymentRefusal Refusal = DeploymentRefusal.None);

/// <summary>Why the engine started nothing: CI branches on the difference (nothing to do is the user's input; a held target is not).</summary>
public enum DeploymentRefusal
{
    None,

    /// <summary>There is no deployment in a state the request applies to (resume with nothing unfinished, rollback with no journal).</summary>
    NothingToActOn,

    /// <summary>What was asked is already the state (a second rollback).</summary>
    AlreadyDone,

    /// <summary>Another run holds the target's lease.</summary>
    Held,

    /// <summary>An unfinished deployment of another spec must be resumed or rolled back first.</summary>
    Unfinished,

    /// <summary>The request cannot be served any more (the previous side of a finished blue-green is gone).</summary>
    NoLongerPossible,

    /// <summary>The target's journal belongs to another service than the spec names.</summary>
    OtherService,
}

/// <summary>What `zdp promote` or `zdp abort` did: the journal it wrote its request into, or why it wrote nothing.</summary>
public sealed record SignalResult(Journal? Journal, DeploymentRefusal Refusal, string? Reason);
