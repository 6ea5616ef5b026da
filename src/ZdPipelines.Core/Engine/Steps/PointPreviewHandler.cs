using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Points the preview route at a side; users' traffic is not touched.</summary>
internal sealed class PointPreviewHandler : StepHandler<PointPreview>
{
    protected override async Task<StepResult> RunAsync(DeploymentRun run, PointPreview step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        run.EnsureHeld();
        await run.Require<IPreviewRoute>().PointPreviewAsync(step.To, cancellationToken);
        return StepResult.Done;
    }
}
