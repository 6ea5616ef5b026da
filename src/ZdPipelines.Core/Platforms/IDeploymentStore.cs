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

    Task<Engine.Journal?> ReadJournalAsync(CancellationToken cancellationToken);

    Task WriteJournalAsync(Engine.Journal journal, CancellationToken cancellationToken);
}

public sealed record Lease(string DeploymentId, string Owner, DateTimeOffset ExpiresAt);

public sealed record LeaseResult(bool Acquired, Lease? Holder);
