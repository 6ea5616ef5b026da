using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Plans;

/// <summary>
/// The steps that bring the platform from where it is back to the recorded starting state. Derived
/// from the two snapshots, not from the strategy, so it also works after a crash half-way through a
/// step. Order matters for safety: capacity first, then traffic, then the targets traffic left.
/// </summary>
public static class RollbackPlanner
{
    public static IReadOnlyList<PlanStep> Plan(PlatformSnapshot start, PlatformSnapshot current, DeploymentSpec spec)
    {
        var steps = new List<PlanStep>();

        // 1. Targets that served at the start and are out now come back first: capacity before anything moves.
        var missing = start.Targets.Where(t => t.Registered && current.Find(t.Id) is { Registered: false }).Select(t => t.Id).ToList();
        if (missing.Count > 0)
        {
            steps.Add(new Register(missing));
            steps.Add(new WaitHealthy(Side.Stable, missing, missing.Count));
        }

        // Back in on their starting version but not through their health checks yet (a rolling rollback cut short right
        // after registering them): they serve again before the rollback takes any other target out or ends. Only for
        // rolling, the one strategy that takes targets out: elsewhere a target is unhealthy because the new version
        // serves it (App Service production after a swap), and the switch back heals it.
        var comingUp = spec.Strategy.Rolling is null ? [] : start.Targets
            .Where(t => t.Registered && t.Side == Side.Stable && t.Health == TargetHealth.Healthy && !missing.Contains(t.Id)
                && current.Find(t.Id) is { Registered: true, Side: Side.Stable, Health: TargetHealth.Initial, Updated: false })
            .Select(t => t.Id).ToList();
        if (comingUp.Count > 0)
        {
            steps.Add(new WaitHealthy(Side.Stable, comingUp, comingUp.Count));
        }

        // 2. Traffic goes back to where it was: one switch, or the weight back to the start.
        if (current.ActiveSide != start.ActiveSide || current.CandidateWeight != start.CandidateWeight)
        {
            steps.Add(new WaitHealthy(start.ActiveSide, [], 1));
            if (current.ActiveSide != start.ActiveSide)
            {
                steps.Add(new SwitchTraffic(start.ActiveSide));
            }

            if (start.CandidateWeight != 0 || (current.ActiveSide == start.ActiveSide && current.CandidateWeight != 0))
            {
                steps.Add(new SetWeight(start.CandidateWeight));
            }
        }

        // The preview route follows traffic back: testers see what users see.
        if (start.PreviewSide is { } preview && current.PreviewSide != preview)
        {
            steps.Add(new PointPreview(preview));
        }

        // 3. Targets updated in place go back to the previous version, a batch at a time, each drained first.
        var updated = current.Targets.Where(t => t.Updated && start.Find(t.Id) is { Updated: false }).Select(t => t.Id).ToList();
        if (updated.Count > 0)
        {
            var registered = current.Targets.Count(t => t.Registered && t.Side == Side.Stable);
            var rolling = spec.Strategy.Rolling;
            var maxUnavailable = rolling is null ? 1 : Math.Max(1, rolling.MaxUnavailable.Resolve(registered));
            var batchSize = rolling is null ? 1 : Math.Max(1, Math.Min(rolling.BatchSize.Resolve(registered, roundUp: true), maxUnavailable));
            foreach (var batch in updated.Chunk(batchSize))
            {
                if (current.UpdatesInPlace && rolling?.UpdateHook is null)
                {
                    // The platform reverts a target while it keeps serving: no drain, as on the way forward.
                    steps.Add(new UpdateTargets(batch, ToPrevious: true, Hook: null));
                    steps.Add(new WaitHealthy(Side.Stable, batch, batch.Length));
                    continue;
                }

                steps.Add(new Deregister(batch, Math.Max(0, registered - maxUnavailable)));
                steps.Add(new UpdateTargets(batch, ToPrevious: true, rolling?.UpdateHook));
                steps.Add(new Register(batch));
                steps.Add(new WaitHealthy(Side.Stable, batch, batch.Length));
            }
        }

        // 4. Targets added during the deployment (surge) leave last, when the pool is whole again.
        var added = current.Targets.Where(t => t.Registered && start.Find(t.Id) is { Registered: false }).Select(t => t.Id).ToList();
        if (added.Count > 0 && spec.Strategy.Rolling is not null)
        {
            var serving = start.Targets.Count(t => t.Registered && t.Side == Side.Stable);
            var maxUnavailable = spec.Strategy.Rolling.MaxUnavailable.Resolve(serving);
            steps.Add(new Deregister(added, Math.Max(0, serving - maxUnavailable)));
        }

        return steps;
    }

    /// <summary>
    /// How many leading steps of a rollback restore capacity and traffic (re-register, wait healthy, switch back, weight
    /// back, preview back): the part a cut-short rollback still finishes. What follows (targets back to the previous
    /// version, surge targets out) changes no traffic and can wait for `zdp rollback`.
    /// </summary>
    public static int UrgentSteps(IReadOnlyList<PlanStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is Deregister or UpdateTargets)
            {
                return i;
            }
        }

        return steps.Count;
    }
}
