using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Platforms.Simulated;

/// <summary>Lease and journal in memory, for the simulated platform.</summary>
public sealed class InMemoryDeploymentStore(TimeProvider time) : IDeploymentStore
{
    private readonly object _gate = new();
    private Lease? _lease;
    private Journal? _journal;
    private readonly HashSet<string> _dead = new(StringComparer.Ordinal);

    /// <summary>
    /// Simulates the death of the process of <paramref name="owner"/>: its lease renewals no longer land,
    /// so its lease lapses as a crashed run's would (in one test process the "dead" engine still runs).
    /// </summary>
    public void MarkOwnerDead(string owner)
    {
        lock (_gate)
        {
            _dead.Add(owner);
        }
    }

    public Lease? CurrentLease
    {
        get
        {
            lock (_gate)
            {
                return _lease;
            }
        }
    }

    public Task<LeaseResult> TryAcquireLeaseAsync(Lease wanted, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_dead.Contains(wanted.Owner))
            {
                return Task.FromResult(new LeaseResult(false, _lease));
            }

            if (_lease is null || _lease.ExpiresAt <= now || (_lease.DeploymentId == wanted.DeploymentId && _lease.Owner == wanted.Owner))
            {
                _lease = wanted;
                return Task.FromResult(new LeaseResult(true, wanted));
            }

            return Task.FromResult(new LeaseResult(false, _lease));
        }
    }

    public Task<LeaseResult> TakeOverLeaseAsync(Lease wanted, Lease holder, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_lease is null || (_lease.DeploymentId == holder.DeploymentId && _lease.Owner == holder.Owner))
            {
                _lease = wanted;
                return Task.FromResult(new LeaseResult(true, wanted));
            }

            return Task.FromResult(new LeaseResult(false, _lease));
        }
    }

    /// <summary>The owner's process lives again (a frozen process thawed): its renewals land again.</summary>
    public void MarkOwnerAlive(string owner)
    {
        lock (_gate)
        {
            _dead.Remove(owner);
        }
    }

    public Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_lease?.DeploymentId == deploymentId)
            {
                _lease = null;
            }
        }

        return Task.CompletedTask;
    }

    public Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_journal);
        }
    }

    public Task WriteJournalAsync(Journal journal, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _journal = journal;
        }

        return Task.CompletedTask;
    }
}
