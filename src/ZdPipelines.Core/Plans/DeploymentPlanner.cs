using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Strategies;
using ZdPipelines.Core.Strategies.BlueGreen;
using ZdPipelines.Core.Strategies.Canary;
using ZdPipelines.Core.Strategies.Rolling;

namespace ZdPipelines.Core.Plans;

/// <summary>
/// Compiles a validated spec and the platform's observed state into a <see cref="DeploymentPlan"/>,
/// or refuses, naming what is missing. Reads nothing itself: the caller observes the platform.
/// </summary>
public static class DeploymentPlanner
{
    public static IDeploymentStrategy StrategyFor(DeploymentSpec spec) => spec.Strategy.Kind switch
    {
        "blueGreen" => new BlueGreenStrategy(),
        "canary" => new CanaryStrategy(),
        _ => new RollingStrategy(),
    };

    public static PlanResult Plan(DeploymentSpec spec, PlatformCapabilities capabilities, PlatformSnapshot snapshot)
    {
        var strategy = StrategyFor(spec);
        var problems = new List<string>();
        var required = strategy.Requires(spec);
        if (spec.Gates.Any(g => g.Source is MetricsGateOptions))
        {
            required |= PlatformCapabilities.Metrics;
        }

        if (spec.Strategy.Canary?.Steps.Any(s => s.Pause is { Duration: null }) == true)
        {
            // `zdp promote` reaches a running deployment through the journal.
            required |= PlatformCapabilities.DeploymentStore;
        }

        foreach (var flag in Enum.GetValues<PlatformCapabilities>())
        {
            if (flag != PlatformCapabilities.None && required.HasFlag(flag) && !capabilities.HasFlag(flag))
            {
                problems.Add($"strategy '{strategy.Name}' needs the platform to {PlatformCapabilityExtensions.Explain(flag)}, and this platform cannot (missing capability: {flag}).");
            }
        }

        if (problems.Count > 0)
        {
            return new PlanResult(null, problems);
        }

        var compiled = strategy.Plan(spec, snapshot);
        if (compiled.Problems.Count > 0)
        {
            return new PlanResult(null, compiled.Problems);
        }

        // What the steps themselves need: whether rolling drains (a target pool) depends on the platform's snapshot.
        var needed = compiled.Steps.Aggregate(PlatformCapabilities.None, (c, step) => c | step.Needs(spec));
        foreach (var flag in Enum.GetValues<PlatformCapabilities>())
        {
            if (flag != PlatformCapabilities.None && needed.HasFlag(flag) && !required.HasFlag(flag) && !capabilities.HasFlag(flag))
            {
                problems.Add($"strategy '{strategy.Name}' needs the platform to {PlatformCapabilityExtensions.Explain(flag)}, and this platform cannot (missing capability: {flag}).");
            }
        }

        if (problems.Count > 0)
        {
            return new PlanResult(null, problems);
        }

        var end = compiled.Steps.Aggregate(snapshot, (state, step) => step.Apply(state));
        var rollback = RollbackPlanner.Plan(snapshot, end, spec);
        var notes = compiled.Notes.ToList();
        if (compiled.Steps.Any(s => s is Pause { Duration: null }))
        {
            notes.Add($"the deployment waits at `pause: {{}}` for `zdp promote` (at most timeouts.promote = {Durations.Format(spec.Timeouts.Promote)})");
        }

        var plan = new DeploymentPlan(strategy.Name, compiled.Steps, rollback, PredictMinimum(spec, snapshot, compiled.Steps), notes);
        return new PlanResult(plan, []);
    }

    /// <summary>
    /// The least time the plan can take: pauses, the platform's own drain and health-check waits, and
    /// the spacing of gate measurements. Work done by hooks and API latency come on top.
    /// </summary>
    public static TimeSpan PredictMinimum(DeploymentSpec spec, PlatformSnapshot start, IReadOnlyList<PlanStep> steps)
    {
        var total = TimeSpan.Zero;
        var state = start;
        foreach (var step in steps)
        {
            total += step.MinimumDuration(spec, start, state);
            state = step.Apply(state);
        }

        return total;
    }
}

public sealed record PlanResult(DeploymentPlan? Plan, IReadOnlyList<string> Problems);
