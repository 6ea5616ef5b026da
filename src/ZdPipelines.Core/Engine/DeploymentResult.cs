using ZdPipelines.Core.Gates;

namespace ZdPipelines.Core.Engine;

/// <summary>How a deployment ended, with everything the summary and the exit code need.</summary>
public sealed record DeploymentResult(
    string DeploymentId,
    DeploymentOutcome Outcome,
    string? Reason,
    IReadOnlyList<GateResult> Gates,
    int StepsCompleted,
    TimeSpan Took,
    int Polls);
