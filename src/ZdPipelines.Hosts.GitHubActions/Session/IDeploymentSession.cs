using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Hosts.GitHubActions.Session;

/// <summary>
/// What the Action asks of zdp: run one command on one spec, telling an observer what happens. The hosting layer
/// (ZdPipelines.Hosting) will implement this directly; until then <see cref="CliSession"/> does, through the zdp
/// command line in-process.
/// </summary>
internal interface IDeploymentSession
{
    Task<SessionResult> RunAsync(SessionRequest request, ISessionObserver observer, CancellationToken cancellationToken);
}

internal sealed record SessionRequest(string Command, string SpecPath, string? Reason = null);

/// <summary>Called in order, from one thread at a time.</summary>
internal interface ISessionObserver
{
    /// <summary>The plan about to run (deploy), before the first step.</summary>
    void OnPlan(string service, DeploymentPlan plan);

    void OnEvent(DeploymentEvent deploymentEvent);

    /// <summary>A line printed by a hook or command gate.</summary>
    void OnOutput(string source, string line);

    /// <summary>A line of a command's own text output (plan, status, promote, abort).</summary>
    void OnText(string line);
}

/// <summary>How a command ended. <see cref="Outcome"/> is set for commands that ran the engine (deploy, rollback).</summary>
internal sealed record SessionResult
{
    public required int ExitCode { get; init; }

    public DeploymentOutcome? Outcome { get; init; }

    public string? Reason { get; init; }

    public string? DeploymentId { get; init; }

    public string? Service { get; init; }

    public IReadOnlyList<SpecError> SpecErrors { get; init; } = [];

    public IReadOnlyList<string> Refusals { get; init; } = [];

    /// <summary>What a command without events printed (plan, status, promote, abort), for the summary.</summary>
    public string Output { get; init; } = "";
}
