using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>Executes one kind of step; the engine has already checked the step is not in place.</summary>
internal interface IStepHandler
{
    Task<StepResult> RunAsync(DeploymentRun run, PlanStep step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken);
}

/// <summary>A handler for the steps of type <typeparamref name="TStep"/>.</summary>
internal abstract class StepHandler<TStep> : IStepHandler
    where TStep : PlanStep
{
    public Task<StepResult> RunAsync(DeploymentRun run, PlanStep step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken) =>
        RunAsync(run, (TStep)step, before, rollback, cancellationToken);

    protected abstract Task<StepResult> RunAsync(DeploymentRun run, TStep step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken);
}

/// <summary>The handler of every step kind, by the step's type.</summary>
internal static class StepHandlers
{
    private static readonly Dictionary<Type, IStepHandler> ByStep = new()
    {
        [typeof(WaitHealthy)] = new WaitHealthyHandler(),
        [typeof(SetWeight)] = new SetWeightHandler(),
        [typeof(SwitchTraffic)] = new SwitchTrafficHandler(),
        [typeof(PointPreview)] = new PointPreviewHandler(),
        [typeof(Register)] = new RegisterHandler(),
        [typeof(Deregister)] = new DeregisterHandler(),
        [typeof(UpdateTargets)] = new UpdateTargetsHandler(),
        [typeof(Pause)] = new PauseHandler(),
        [typeof(RunGate)] = new RunGateHandler(),
        [typeof(RunHook)] = new RunHookHandler(),
        [typeof(RetainPrevious)] = new RetainPreviousHandler(),
    };

    public static IStepHandler For(PlanStep step) =>
        ByStep.TryGetValue(step.GetType(), out var handler) ? handler : throw new InvalidOperationException($"no handler for step {step.GetType().Name}");
}
