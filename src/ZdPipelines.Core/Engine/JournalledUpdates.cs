using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine;

/// <summary>
/// Which targets a deployment has brought to the new version, by its journal. Many platforms cannot see a version
/// (an ALB target is an address), and an update hook's work is only known from the steps it completed, so the engine
/// lays this over what the platform reports.
/// </summary>
public static class JournalledUpdates
{
    /// <summary>Marks as updated the targets of the update steps the journal shows completed, minus those a completed rollback step reverted.</summary>
    public static PlatformSnapshot Overlay(PlatformSnapshot observed, Journal journal)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(journal);
        return Mark(observed, Updated(journal, journal.StepsCompleted));
    }

    /// <summary>
    /// As <see cref="Overlay"/>, counting the step that was under way as done too: a rollback planned after a crash
    /// mid-update must revert what that step may have changed.
    /// </summary>
    public static PlatformSnapshot OverlayForRollback(PlatformSnapshot observed, Journal journal)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(journal);
        return Mark(observed, Updated(journal, Math.Min(journal.StepsCompleted + 1, journal.Plan.Steps.Count)));
    }

    private static HashSet<string> Updated(Journal journal, int steps)
    {
        var updated = journal.Plan.Steps.Take(steps).OfType<UpdateTargets>().Where(u => !u.ToPrevious).SelectMany(u => u.Targets).ToHashSet(StringComparer.Ordinal);
        if (journal.RollbackSteps is { } back)
        {
            updated.ExceptWith(back.Take(journal.RollbackStepsCompleted).OfType<UpdateTargets>().Where(u => u.ToPrevious).SelectMany(u => u.Targets));
        }

        return updated;
    }

    private static PlatformSnapshot Mark(PlatformSnapshot observed, HashSet<string> updated) =>
        updated.Count == 0 || observed.Targets.All(t => t.Updated || !updated.Contains(t.Id))
            ? observed
            : observed with { Targets = [.. observed.Targets.Select(t => updated.Contains(t.Id) ? t with { Updated = true } : t)] };
}
