using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Strategies.Canary;

/// <summary>
/// A growing weighted share of traffic goes to the candidate, with pauses and gates between the steps,
/// then all of it (promotion). Abort sends the weight back to 0.
/// </summary>
internal sealed class CanaryStrategy : IDeploymentStrategy
{
    public string Name => "canary";

    public PlatformCapabilities Requires(DeploymentSpec spec) => PlatformCapabilities.WeightedSplit | PlatformCapabilities.TrafficSwitch;

    public StrategyPlan Plan(DeploymentSpec spec, PlatformSnapshot snapshot)
    {
        var canary = snapshot.On(Side.Candidate).ToList();
        if (canary.Count == 0)
        {
            return StrategyPlan.Refused("canary needs the new version running beside the old one, but the platform shows no candidate targets. Fix: deploy the new version to the candidate side (platform.*.candidate) first.");
        }

        var steps = new List<PlanStep> { new WaitHealthy(Side.Candidate, [], canary.Count) };
        var preview = snapshot.PreviewSide is not null;
        if (preview)
        {
            // Testers' route to the canary, whatever weight it has.
            steps.Add(new PointPreview(Side.Candidate));
        }

        var lastWeight = 0;
        foreach (var step in spec.Strategy.Canary!.Steps)
        {
            if (step.SetWeight is { } weight)
            {
                steps.Add(new SetWeight(weight));
                lastWeight = weight;
            }
            else if (step.Pause is { } pause)
            {
                steps.Add(new Pause(pause.Duration));
            }
            else if (step.Gate is { } gate)
            {
                steps.Add(new RunGate(gate, Side.Candidate));
            }
        }

        // Promotion: all traffic to the candidate in one listener change. Going through 100 % first
        // would be a second change with nothing learned from it.
        steps.Add(new SwitchTraffic(Side.Candidate));
        if (preview)
        {
            steps.Add(new PointPreview(Side.Stable));
        }

        var notes = lastWeight < 50
            ? new[] { $"the last weight step is {lastWeight} %: promotion jumps from there to 100 %" }
            : [];
        return StrategyPlan.Of(steps, notes);
    }
}
