using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Hosting.Session;

/// <summary>How a command ended: its exit code (<see cref="ExitCodes"/>) and what the host needs to report it.</summary>
/// <param name="Result">The engine's result, for deploy, resume and rollback once the engine ran.</param>
/// <param name="Plan">The plan that ran or was shown, when there was one.</param>
/// <param name="Message">The sentence that explains a refusal or a failure before the engine ran.</param>
public sealed record SessionOutcome(SessionCommandKind Command, int ExitCode, DeploymentResult? Result, DeploymentPlan? Plan, string? Message)
{
    /// <summary>The deployment acted on, when one was.</summary>
    public string? DeploymentId => Result is { DeploymentId: not "-" } r ? r.DeploymentId : null;

    /// <summary>Steps of the plan the result counts against, for "steps: 3 of 8 completed".</summary>
    public int? TotalSteps { get; init; }
}
