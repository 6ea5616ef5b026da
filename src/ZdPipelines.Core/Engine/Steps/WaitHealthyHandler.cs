using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Waits for health, as long as the platform's own checks need (healthy threshold × interval), then backs off.</summary>
internal sealed class WaitHealthyHandler : StepHandler<WaitHealthy>
{
    protected override Task<StepResult> RunAsync(DeploymentRun run, WaitHealthy step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken) =>
        run.WaitAsync(step.Describe(), step.IsHealthyIn, run.Spec.Timeouts.Healthy, before.Timings.TimeToHealthy, cancellationToken);
}
