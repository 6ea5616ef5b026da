using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Local.State;

namespace ZdPipelines.Platforms.Local.Platform;

/// <summary>
/// The local platform as another zdp process sees it: the proxy and its routing live inside the zdp
/// that runs the deployment, so `zdp status`, `promote` and `abort` from a second terminal work on
/// the state directory only. The state it reports is the journal's: the recorded start with the
/// completed steps applied.
/// </summary>
public sealed class LocalJournalView : IPlatform, IDeploymentStore
{
    private readonly FileDeploymentStore _store;

    public LocalJournalView(LocalPlatformOptions spec, TimeProvider timeProvider)
    {
        _store = new FileDeploymentStore(spec.StateDirectory, timeProvider);
        Target = $"http://{spec.Listen}";
    }

    public string Kind => "local";

    public string Target { get; }

    public async Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken)
    {
        if (await _store.ReadJournalAsync(cancellationToken) is not { } journal)
        {
            return new PlatformSnapshot { Address = Target };
        }

        var steps = journal.Status is DeploymentStatus.RollingBack or DeploymentStatus.RolledBack && journal.RollbackSteps is { } back
            ? journal.Plan.Steps.Take(journal.StepsCompleted).Concat(back.Take(journal.RollbackStepsCompleted))
            : journal.Plan.Steps.Take(journal.StepsCompleted);
        return steps.Aggregate(journal.Start, (state, step) => step.Apply(state)) with { Address = Target };
    }

    public Task<LeaseResult> TryAcquireLeaseAsync(Lease wanted, CancellationToken cancellationToken) => _store.TryAcquireLeaseAsync(wanted, cancellationToken);

    public Task<LeaseResult> TakeOverLeaseAsync(Lease wanted, Lease holder, CancellationToken cancellationToken) => _store.TakeOverLeaseAsync(wanted, holder, cancellationToken);

    public Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken) => _store.ReleaseLeaseAsync(deploymentId, cancellationToken);

    public Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken) => _store.ReadJournalAsync(cancellationToken);

    public Task WriteJournalAsync(Journal journal, CancellationToken cancellationToken) => _store.WriteJournalAsync(journal, cancellationToken);
}
