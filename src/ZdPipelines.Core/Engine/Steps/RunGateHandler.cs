using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Evaluates a gate; a failure, or an inconclusive gate under onInconclusive: rollback, fails the step.</summary>
internal sealed class RunGateHandler : StepHandler<RunGate>
{
    protected override async Task<StepResult> RunAsync(DeploymentRun run, RunGate step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        var gate = run.Spec.FindGate(step.Gate)!;
        var context = new GateContext(step.Side, before.Address, before.PreviewAddress, run.Journal.DeploymentId);
        var result = await run.Engine.Gates.EvaluateAsync(gate, context, r => run.Emit(new GateMeasured(run.Now, r)), cancellationToken);
        run.Record(result);
        run.Emit(new GateEvaluated(run.Now, result));
        return result.Verdict switch
        {
            GateVerdict.Pass => StepResult.Done,
            GateVerdict.Inconclusive when run.Spec.Rollback.OnInconclusive == InconclusiveAction.Continue => StepResult.Done,
            GateVerdict.Inconclusive => StepResult.Fail($"gate '{gate.Name}' was inconclusive (insufficient data: {result.Inconclusives} of {result.Measurements} measurements had no data). Fix: send traffic during the gate, lower minSamples, or set noData / rollback.onInconclusive"),
            _ => StepResult.Fail($"gate '{gate.Name}' failed: {result.Summary()}"),
        };
    }
}
