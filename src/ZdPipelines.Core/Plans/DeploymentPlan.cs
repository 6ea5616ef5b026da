using System.Text.Json.Serialization;

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
    IReadOnlyList<string> Notes)
{
    /// <summary>False for a journal read from a store that does not keep plans: the engine rebuilds it from the spec and the recorded start.</summary>
    [JsonIgnore]
    public bool IsStored { get; init; } = true;

    /// <summary>What a store without room for the plan returns in its place.</summary>
    public static DeploymentPlan NotStored(string strategy) => new(strategy, [], [], TimeSpan.Zero, []) { IsStored = false };
}
