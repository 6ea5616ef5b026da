namespace ZdPipelines.Hosting.Session;

/// <summary>What a host asks a <see cref="DeploymentSession"/> to do: the same seven commands in every host.</summary>
public enum SessionCommandKind
{
    Plan,
    Deploy,
    Status,
    Promote,
    Abort,
    Resume,
    Rollback,
}

/// <summary>One command against one spec file.</summary>
public sealed record SessionCommand(SessionCommandKind Kind, string SpecPath)
{
    /// <summary>Why, for a rollback: recorded in the journal and shown by `zdp status`.</summary>
    public string? Reason { get; init; }

    /// <summary>Rollback and resume: take over the lease from a run the user knows is dead (`--take-over`), without waiting for it to lapse.</summary>
    public bool TakeOver { get; init; }
}
