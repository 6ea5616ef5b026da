using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Sets the candidate's share, after making sure each side that will receive traffic has a healthy target.</summary>
internal sealed class SetWeightHandler : StepHandler<SetWeight>
{
    protected override async Task<StepResult> RunAsync(DeploymentRun run, SetWeight step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        var guard = await run.WaitServingAsync(step.Percent > 0 ? Side.Candidate : null, step.Percent < 100 ? Side.Stable : null, cancellationToken);
        if (guard.Failure is not null)
        {
            return guard;
        }

        run.EnsureHeld();
        await run.Require<IWeightedTrafficSplit>().SetCandidateWeightAsync(step.Percent, cancellationToken);
        run.Emit(new TrafficShifted(run.Now, step.Percent, before.ActiveSide));
        return StepResult.Done;
    }
}
