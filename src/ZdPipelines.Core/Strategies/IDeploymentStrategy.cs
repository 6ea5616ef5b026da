using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Strategies;

/// <summary>
/// Turns a spec and the platform's observed state into steps. A strategy never names a platform and
/// never calls one: it states what it needs and returns data (Argo Rollouts' canary.go / bluegreen.go).
/// </summary>
public interface IDeploymentStrategy
{
    string Name { get; }

    PlatformCapabilities Requires(DeploymentSpec spec);

    /// <summary>The steps, or the reasons the current state does not allow them.</summary>
    StrategyPlan Plan(DeploymentSpec spec, PlatformSnapshot snapshot);
}

public sealed record StrategyPlan(IReadOnlyList<PlanStep> Steps, IReadOnlyList<string> Problems, IReadOnlyList<string> Notes)
{
    public static StrategyPlan Of(IReadOnlyList<PlanStep> steps, params string[] notes) => new(steps, [], notes);

    public static StrategyPlan Refused(params string[] problems) => new([], problems, []);
}
