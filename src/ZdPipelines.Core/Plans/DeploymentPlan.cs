namespace ZdPipelines.Core.Plans;

/// <summary>
/// The ordered steps of a deployment and of its rollback, with the predicted minimum duration.
/// Immutable: the engine runs it, `zdp plan` prints it, the journal stores it.
/// </summary>
public sealed record DeploymentPlan(
    string Strategy,
    IReadOnlyList<PlanStep> Steps,
    IReadOnlyList<PlanStep> Rollback,
    TimeSpan PredictedMinimum,
    IReadOnlyList<string> Notes);
