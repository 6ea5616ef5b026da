namespace ZdPipelines.Core.Platforms;

/// <summary>
/// Lease and journal kept where the deployment target lives (tags on a listener, a file beside a
/// local proxy), so that any machine sees a running deployment and can resume or roll it back.
/// </summary>
public interface IDeploymentStore
{
    /// <summary>Takes the lease when it is free, expired, or already ours; otherwise returns the current holder.</summary>
    Task<LeaseResult> TryAcquireLeaseAsync(Lease wanted, CancellationToken cancellationToken);

    Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lease from <paramref name="holder"/>, a run that is known to be dead (its process is gone, or the
    /// user confirmed it), as if its lease had expired: only that exact holder is replaced. A store that cannot tell
    /// one holder from another leaves the lease as it is (the default).
    /// </summary>
    Task<LeaseResult> TakeOverLeaseAsync(Lease wanted, Lease holder, CancellationToken cancellationToken) =>
        Task.FromResult(new LeaseResult(false, holder));

    Task<Engine.Journal?> ReadJournalAsync(CancellationToken cancellationToken);

    Task WriteJournalAsync(Engine.Journal journal, CancellationToken cancellationToken);

    /// <summary>
    /// True when the store keeps `zdp promote` and `zdp abort` requests apart from the journal, so that no journal write
    /// can erase one: the engine then writes the journal without reading it first, and looks for requests by reading.
    /// False (the default): each journal write reads the stored journal first and keeps the flags it finds.
    /// </summary>
    bool KeepsSignalsApart => false;

    /// <summary>
    /// Records the promote or abort request that <paramref name="journal"/>'s flags carry, for a process that does not
    /// hold the lease (`zdp promote`, `zdp abort`). By default the journal is written whole.
    /// </summary>
    Task WriteSignalsAsync(Engine.Journal journal, CancellationToken cancellationToken) => WriteJournalAsync(journal, cancellationToken);
}

public sealed record Lease(string DeploymentId, string Owner, DateTimeOffset ExpiresAt);

public sealed record LeaseResult(bool Acquired, Lease? Holder);
