using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Strategies.Rolling;

/// <summary>
/// Targets of one pool leave in batches: drain, update, come back, become healthy, pass the gates;
/// only then does the next batch go. Healthy capacity never drops below N − maxUnavailable.
/// On a platform whose own updater keeps a target serving while it updates it (<see cref="PlatformSnapshot.UpdatesInPlace"/>,
/// e.g. one App Service app per target, swapped), a batch is updated where it stands instead: no drain, no pool,
/// still never more than maxUnavailable targets changing at once.
/// </summary>
internal sealed class RollingStrategy : IDeploymentStrategy
{
    public string Name => "rolling";

    /// <summary>
    /// The platform's updater unless a hook updates. Draining needs a target pool too, but only the steps know whether
    /// they drain (an in-place platform does not): the planner checks what each step needs (<see cref="PlanStep.Needs"/>).
    /// </summary>
    public PlatformCapabilities Requires(DeploymentSpec spec) =>
        spec.Strategy.Rolling!.UpdateHook is null ? PlatformCapabilities.TargetUpdate : PlatformCapabilities.None;

    public StrategyPlan Plan(DeploymentSpec spec, PlatformSnapshot snapshot)
    {
        var options = spec.Strategy.Rolling!;
        var pool = snapshot.On(Side.Stable).Where(t => t.Registered).ToList();
        var n = pool.Count;
        if (n == 0)
        {
            return StrategyPlan.Refused("rolling needs registered targets in the pool, but the platform shows none. Fix: check the platform target in zdp.yml.");
        }

        var maxUnavailable = options.MaxUnavailable.Resolve(n);
        if (snapshot.UpdatesInPlace && options.UpdateHook is null)
        {
            return InPlace(options, pool, maxUnavailable);
        }

        var spare = snapshot.On(Side.Candidate).Where(t => !t.Registered).ToList();
        var surge = Math.Min(options.MaxSurge.Resolve(n, roundUp: true), spare.Count);
        if (maxUnavailable + surge == 0)
        {
            return StrategyPlan.Refused(
                $"strategy.rolling.maxUnavailable resolves to 0 of {n} targets and no surge is possible, so no batch could ever leave. " +
                "Fix: set maxUnavailable to at least 1, or maxSurge to at least 1 with spare targets available.");
        }

        var wanted = Math.Max(1, options.BatchSize.Resolve(n, roundUp: true));
        var batchSize = Math.Min(wanted, maxUnavailable + surge);
        var notes = new List<string>();
        if (batchSize < wanted)
        {
            notes.Add($"batch size lowered from {wanted} to {batchSize} so that at least {n - maxUnavailable} of {n} targets stay healthy (maxUnavailable {options.MaxUnavailable}, surge {surge})");
        }

        if (options.MaxSurge.Value > 0 && surge == 0)
        {
            notes.Add("maxSurge is set but the platform has no spare targets to add: rolling without surge");
        }

        var steps = new List<PlanStep>();
        var surgeTargets = spare.Take(surge).Select(t => t.Id).ToList();
        if (surgeTargets.Count > 0)
        {
            steps.Add(new Register(surgeTargets));
            steps.Add(new WaitHealthy(Side.Candidate, surgeTargets, surgeTargets.Count));
        }

        // The floor counts every healthy registered target: updated ones back in the pool and surge targets too.
        var floor = n - maxUnavailable;
        foreach (var batch in pool.Where(t => !t.Updated).Select(t => t.Id).Chunk(batchSize))
        {
            steps.Add(new Deregister(batch, floor));
            steps.Add(new UpdateTargets(batch, ToPrevious: false, options.UpdateHook));
            steps.Add(new Register(batch));
            steps.Add(new WaitHealthy(Side.Stable, batch, batch.Length));
            steps.AddRange(options.Gates.Select(g => new RunGate(g, Side.Candidate)));
        }

        if (surgeTargets.Count > 0)
        {
            steps.Add(new Deregister(surgeTargets, floor));
        }

        return new StrategyPlan(steps, [], notes);
    }

    /// <summary>
    /// Each batch is brought to the new version by the platform while it serves, then must be healthy and pass the gates
    /// before the next one changes. Nothing leaves the pool, so there is no surge and no drain.
    /// </summary>
    private static StrategyPlan InPlace(RollingSpec options, List<TargetStatus> pool, int maxUnavailable)
    {
        var n = pool.Count;
        if (maxUnavailable == 0)
        {
            return StrategyPlan.Refused(
                $"strategy.rolling.maxUnavailable resolves to 0 of {n} targets, so no target could ever change. " +
                "Fix: set maxUnavailable to at least 1 (the platform updates targets in place: they keep serving, but no more than maxUnavailable change at once).");
        }

        var wanted = Math.Max(1, options.BatchSize.Resolve(n, roundUp: true));
        var batchSize = Math.Min(wanted, maxUnavailable);
        var notes = new List<string>();
        if (batchSize < wanted)
        {
            notes.Add($"batch size lowered from {wanted} to {batchSize} so that no more than maxUnavailable ({options.MaxUnavailable}) of {n} targets change at once");
        }

        if (options.MaxSurge.Value > 0)
        {
            notes.Add("maxSurge is not used: the platform updates targets in place, so none is added or taken out");
        }

        var steps = new List<PlanStep>();
        foreach (var batch in pool.Where(t => !t.Updated).Select(t => t.Id).Chunk(batchSize))
        {
            steps.Add(new UpdateTargets(batch, ToPrevious: false, Hook: null));
            steps.Add(new WaitHealthy(Side.Stable, batch, batch.Length));
            steps.AddRange(options.Gates.Select(g => new RunGate(g, Side.Candidate)));
        }

        return new StrategyPlan(steps, [], notes);
    }
}
