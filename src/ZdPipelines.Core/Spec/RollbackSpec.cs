namespace ZdPipelines.Core.Spec;

public sealed record RollbackSpec
{
    /// <summary>Roll back automatically on a failed gate or timeout. Off means: stop and leave the state for a human.</summary>
    public bool Automatic { get; init; } = true;
    /// <summary>What an inconclusive gate does: rollback (safe default) or continue.</summary>
    public InconclusiveAction OnInconclusive { get; init; } = InconclusiveAction.Rollback;
}

public enum InconclusiveAction
{
    Rollback,
    Continue,
}
