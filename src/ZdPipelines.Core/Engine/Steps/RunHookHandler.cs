using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Runs a hook of the spec (a pre-switch smoke test) with its timeout.</summary>
internal sealed class RunHookHandler : StepHandler<RunHook>
{
    protected override Task<StepResult> RunAsync(DeploymentRun run, RunHook step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        // A hook may change the world (a smoke test that writes, a migration): it runs only while the lease is ours.
        run.EnsureHeld();
        return run.RunHookAsync(run.Spec.FindHook(step.Hook)!, step.Targets, before, rollback, cancellationToken);
    }
}
