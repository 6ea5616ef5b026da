using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Brings drained targets to the new (or previous) version: the user's update hook, or the platform's own updater.</summary>
internal sealed class UpdateTargetsHandler : StepHandler<UpdateTargets>
{
    protected override async Task<StepResult> RunAsync(DeploymentRun run, UpdateTargets step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        run.EnsureHeld();
        if (step.Hook is not null && run.Spec.FindHook(step.Hook) is { } hook)
        {
            var outcome = await run.RunHookAsync(hook, step.Targets, before, rollback || step.ToPrevious, cancellationToken);
            if (outcome.Failure is null && run.Engine.Platform is ITargetVersionRecord record)
            {
                await record.RecordUpdatedAsync(step.Targets, !step.ToPrevious, cancellationToken);
            }

            return outcome;
        }

        await run.Require<ITargetUpdater>().UpdateAsync(step.Targets, step.ToPrevious, cancellationToken);
        return StepResult.Done;
    }
}
