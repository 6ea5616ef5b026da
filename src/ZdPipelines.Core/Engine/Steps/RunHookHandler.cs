using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Runs a hook of the spec (a pre-switch smoke test) with its timeout.</summary>
internal sealed class RunHookHandler : StepHandler<RunHook>
{
    protected override Task<StepResult> RunAsync(DeploymentRun run, RunHook step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken) =>
        run.RunHookAsync(run.Spec.FindHook(step.Hook)!, step.Targets, before, rollback, cancellationToken);
}
