using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Hosting.Session;

namespace ZdPipelines.Cli.Output;

/// <summary>`zdp status`: the journalled deployment and what the platform looks like right now.</summary>
internal static class StatusWriter
{
    public static void Write(CommandOutput output, StatusReport status)
    {
        var (service, platform, journal, lease, observed) = (status.Spec.Name, status.Platform, status.Journal, status.Lease, status.Observed);
        var position = journal is null ? null : Position(journal);
        if (output.IsJson)
        {
            output.Json(new
            {
                service,
                platform = new { kind = platform.Kind, target = platform.Target },
                deployment = journal is null ? null : new
                {
                    id = journal.DeploymentId,
                    status = journal.Status,
                    strategy = journal.Strategy,
                    step = position!.Step,
                    of = position.Of,
                    stepDescription = position.Description,
                    rollingBack = position.Rollback,
                    startedAt = journal.StartedAt,
                    updatedAt = journal.UpdatedAt,
                    reason = journal.Reason,
                    previousKeptUntil = journal.PreviousKeptUntil,
                    promoteRequested = journal.PromoteRequested,
                    abortRequested = journal.AbortRequested,
                },
                lease,
                observed,
            }, CliJson.Document);
            return;
        }

        output.Line(output.Paint(service, Ansi.Bold) + $" on {platform.Kind} ({platform.Target})");
        if (journal is null)
        {
            output.Line("deployment: none recorded on this target");
        }
        else
        {
            output.Line($"deployment: {journal.DeploymentId} ({journal.Strategy})");
            output.Line($"status:     {TextFormat.Words(journal.Status)}" +
                (journal.PromoteRequested ? " (promote requested)" : "") + (journal.AbortRequested ? " (abort requested)" : ""));
            output.Line(position!.Description is null
                ? $"step:       all {position.Of} steps done"
                : $"step:       {(IsFinished(journal.Status) ? "stopped at " : "")}{(position.Rollback ? "rollback step" : "step")} {position.Step} of {position.Of}: {position.Description}");
            output.Line($"started:    {TextFormat.Timestamp(journal.StartedAt)}");
            output.Line($"updated:    {TextFormat.Timestamp(journal.UpdatedAt)}");
            if (journal.Reason is not null)
            {
                output.Line($"reason:     {journal.Reason}");
            }

            if (journal.PreviousKeptUntil is { } kept)
            {
                output.Line($"previous side kept until {TextFormat.Timestamp(kept)} (`zdp rollback` is one switch until then)");
            }
        }

        output.Line(lease is null
            ? "lease:      free"
            : $"lease:      held by {lease.DeploymentId} ({lease.Owner}) until {TextFormat.Timestamp(lease.ExpiresAt)}");
        output.Line("platform:");
        output.Line($"  active side: {TextFormat.Lower(observed.ActiveSide)}, candidate weight {observed.CandidateWeight} % " +
            $"(traffic: stable {observed.TrafficShare(Side.Stable)} %, candidate {observed.TrafficShare(Side.Candidate)} %)");
        if (observed.Address is not null)
        {
            output.Line($"  address: {observed.Address}" + (observed.PreviewAddress is null ? "" : $", preview: {observed.PreviewAddress}"));
        }

        output.Line("  targets:");
        var idWidth = observed.Targets.Count == 0 ? 0 : observed.Targets.Max(t => t.Id.Length);
        foreach (var t in observed.Targets)
        {
            var health = output.Paint(TextFormat.Lower(t.Health), t.Health switch
            {
                TargetHealth.Healthy => Ansi.Green,
                TargetHealth.Unhealthy => Ansi.Red,
                TargetHealth.Draining or TargetHealth.Initial => Ansi.Yellow,
                _ => Ansi.Dim,
            });
            output.Line($"    {t.Id.PadRight(idWidth)}  {TextFormat.Lower(t.Side),-9}  {(t.Registered ? "registered  " : "deregistered")}  {health}{(t.Updated ? "  (updated)" : "")}");
        }
    }

    /// <summary>Where the deployment is: the step that runs next (1-based), or the rollback step when rolling back.</summary>
    private static StepPosition Position(Journal journal)
    {
        if (journal.Status == DeploymentStatus.RollingBack && journal.RollbackSteps is { } rollback)
        {
            var k = journal.RollbackStepsCompleted;
            return new StepPosition(Math.Min(k + 1, rollback.Count), rollback.Count, k < rollback.Count ? rollback[k].Describe() : null, true);
        }

        var steps = journal.Plan.Steps;
        var done = journal.StepsCompleted;
        return new StepPosition(Math.Min(done + 1, steps.Count), steps.Count, done < steps.Count ? steps[done].Describe() : null, false);
    }

    private static bool IsFinished(DeploymentStatus status) =>
        status is DeploymentStatus.Succeeded or DeploymentStatus.RolledBack or DeploymentStatus.Failed;

    private sealed record StepPosition(int Step, int Of, string? Description, bool Rollback);
}
