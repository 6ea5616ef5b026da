using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Moves all traffic in one switch, after making sure the side it goes to has a healthy target.</summary>
internal sealed class SwitchTrafficHandler : StepHandler<SwitchTraffic>
{
    protected override async Task<StepResult> RunAsync(DeploymentRun run, SwitchTraffic step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        var guard = await run.WaitServingAsync(step.To, null, cancellationToken);
        if (guard.Failure is not null)
        {
            return guard;
        }

        run.EnsureHeld();
        await run.Require<ITrafficSwitch>().SwitchAsync(step.To, cancellationToken);
        run.Emit(new TrafficShifted(run.Now, step.To == Side.Candidate ? 100 : 0, step.To));
        return StepResult.Done;
    }
}
