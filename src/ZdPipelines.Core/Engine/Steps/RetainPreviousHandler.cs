using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Records until when the previous side is kept, so `zdp rollback` stays one switch until then.</summary>
internal sealed class RetainPreviousHandler : StepHandler<RetainPrevious>
{
    protected override async Task<StepResult> RunAsync(DeploymentRun run, RetainPrevious step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        await run.UpdateJournalAsync(j => j with { PreviousKeptUntil = run.Now + step.For }, cancellationToken);
        return StepResult.Done;
    }
}
