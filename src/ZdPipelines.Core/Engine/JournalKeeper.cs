using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Engine;

/// <summary>
/// Reads and writes a run's journal through the platform's store. `zdp promote` and `zdp abort` write their flags
/// from another process, so every update merges the stored flags instead of overwriting them. A store that keeps
/// the journal without its plan (tags have room for little) gets the plan rebuilt here: the planner is
/// deterministic, so the same spec and starting state give the plan that ran.
/// </summary>
internal sealed class JournalKeeper(IPlatform platform, IDeploymentStore? store, TimeProvider time, Func<string, string> redact)
{
    private (string Id, string? Digest, DeploymentPlan Plan)? _replanned;

    public bool HasStore => store is not null;

    /// <summary>Each <see cref="UpdateAsync"/> reads the stored journal first, to keep flags a journal write would erase.</summary>
    public bool ReadsBeforeWrite => store is not null && !store.KeepsSignalsApart;

    /// <summary>The stored journal with its plan, rebuilt from <paramref name="spec"/> when the store did not keep it.</summary>
    public async Task<Journal?> ReadAsync(DeploymentSpec? spec, CancellationToken cancellationToken)
    {
        if (store is null || await store.ReadJournalAsync(cancellationToken) is not { } journal)
        {
            return null;
        }

        if (journal.Plan.IsStored || spec is null)
        {
            return journal;
        }

        // A finished deployment's plan is only shown, never run: a spec that cannot replan it (another strategy since)
        // must not keep the next deployment from starting.
        var unfinished = journal.Status is DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.RollingBack;
        return TryReplan(spec, journal, out var plan, out var why) ? journal with { Plan = plan }
            : unfinished ? throw new PlatformException($"deployment {journal.DeploymentId} on {platform.Target} cannot be replanned from this spec: {why} Fix: run zdp with the zdp.yml that started it.")
            : journal;
    }

    public async Task WriteAsync(Journal journal, CancellationToken cancellationToken)
    {
        if (store is not null)
        {
            await store.WriteJournalAsync(Redacted(journal) with { UpdatedAt = time.GetUtcNow() }, cancellationToken);
        }
    }

    /// <summary>Read-modify-write, keeping the promote and abort flags another process may have set.</summary>
    public async Task<Journal> UpdateAsync(Journal journal, Func<Journal, Journal> change, CancellationToken cancellationToken, bool keepSignals = true)
    {
        if (ReadsBeforeWrite && keepSignals && await store!.ReadJournalAsync(cancellationToken) is { } stored && stored.DeploymentId == journal.DeploymentId)
        {
            journal = journal with
            {
                PromoteRequested = journal.PromoteRequested || stored.PromoteRequested,
                AbortRequested = journal.AbortRequested || stored.AbortRequested,
            };
        }

        var updated = Redacted(change(journal)) with { UpdatedAt = time.GetUtcNow() };
        if (store is not null)
        {
            await store.WriteJournalAsync(updated, cancellationToken);
        }

        return updated;
    }

    /// <summary>The promote and abort requests stored for <paramref name="journal"/>'s deployment, laid over it: one read, no write.</summary>
    public async Task<Journal> ReadSignalsAsync(Journal journal, CancellationToken cancellationToken) =>
        store is not null && await store.ReadJournalAsync(cancellationToken) is { } stored && stored.DeploymentId == journal.DeploymentId
            ? journal with
            {
                PromoteRequested = journal.PromoteRequested || stored.PromoteRequested,
                AbortRequested = journal.AbortRequested || stored.AbortRequested,
            }
            : journal;

    /// <summary>Reasons quote gate details and hook output, which may hold a secret (a URL with a password): never stored as they are.</summary>
    private Journal Redacted(Journal journal) => journal.Reason is { } reason ? journal with { Reason = redact(reason) } : journal;

    private bool TryReplan(DeploymentSpec spec, Journal journal, out DeploymentPlan plan, out string why)
    {
        if (_replanned is { } cached && cached.Id == journal.DeploymentId && cached.Digest == journal.SpecDigest)
        {
            (plan, why) = (cached.Plan, "");
            return true;
        }

        var result = DeploymentPlanner.Plan(spec, platform.Capabilities(), journal.Start);
        if (result.Plan is null || result.Plan.Strategy != journal.Strategy)
        {
            why = result.Plan is null ? string.Join(" ", result.Problems) : $"this spec's strategy is {result.Plan.Strategy}, the deployment's was {journal.Strategy}.";
            plan = journal.Plan;
            return false;
        }

        _replanned = (journal.DeploymentId, journal.SpecDigest, result.Plan);
        (plan, why) = (result.Plan, "");
        return true;
    }
}
