using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Registers the targets that are not registered yet.</summary>
internal sealed class RegisterHandler : StepHandler<Register>
{
    protected override async Task<StepResult> RunAsync(DeploymentRun run, Register step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        run.EnsureHeld();
        await run.Require<ITargetPool>().RegisterAsync([.. step.Targets.Where(id => before.Find(id) is not { Registered: true })], cancellationToken);
        return StepResult.Done;
    }
}
