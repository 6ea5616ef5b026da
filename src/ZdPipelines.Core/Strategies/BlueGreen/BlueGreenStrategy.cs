using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Strategies.BlueGreen;

/// <summary>
/// The new side becomes healthy beside the old one, is checked through its preview address, takes all
/// traffic in one switch, and is watched; the old side is kept so that going back is one switch too.
/// </summary>
internal sealed class BlueGreenStrategy : IDeploymentStrategy
{
    public string Name => "blueGreen";

    public PlatformCapabilities Requires(DeploymentSpec spec) => PlatformCapabilities.TrafficSwitch;

    public StrategyPlan Plan(DeploymentSpec spec, PlatformSnapshot snapshot)
    {
        var options = spec.Strategy.BlueGreen!;
        var green = snapshot.On(Side.Candidate).ToList();
        if (green.Count == 0)
        {
            return StrategyPlan.Refused("blue-green needs the new version beside the old one, but the platform shows no candidate targets. Fix: deploy the new version to the candidate side (platform.*.candidate) first.");
        }

        var steps = new List<PlanStep> { new WaitHealthy(Side.Candidate, [], green.Count) };
        var preview = snapshot.PreviewSide is not null;
        if (preview)
        {
            // Testers, pre-switch hooks and gates reach the new version before any user does.
            steps.Add(new PointPreview(Side.Candidate));
        }

        steps.AddRange(spec.Hooks.PreSwitch.Select(h => new RunHook(h.Name, [])));
        steps.AddRange(options.PreSwitchGates.Select(g => new RunGate(g, Side.Candidate)));
        steps.Add(new SwitchTraffic(Side.Candidate));
        if (preview)
        {
            // The preview now reaches the side that stopped serving: the previous version, while it is kept.
            steps.Add(new PointPreview(Side.Stable));
        }

        steps.AddRange(options.PostSwitchGates.Select(g => new RunGate(g, Side.Candidate)));
        if (options.Bake > TimeSpan.Zero)
        {
            steps.Add(new Pause(options.Bake));
        }

        steps.Add(new RetainPrevious(options.KeepPreviousFor));
        return StrategyPlan.Of(steps);
    }
}
