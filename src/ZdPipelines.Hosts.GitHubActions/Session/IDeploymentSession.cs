using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Hosts.GitHubActions.Session;

/// <summary>
/// What the Action asks of zdp: run one command on one spec, telling an observer what happens.
/// <see cref="HostingSession"/> runs it on the hosting layer; tests may put something else here.
/// </summary>
internal interface IDeploymentSession
{
    Task<SessionResult> RunAsync(SessionRequest request, ISessionObserver observer, CancellationToken cancellationToken);
}

/// <param name="Secrets">The run's masker: platforms add the credentials they resolve, the engine redacts the journal with it.</param>
/// <param name="IdTokens">The job's ID tokens (`permissions: id-token: write`), for platform credentials that federate.</param>
internal sealed record SessionRequest(string Command, string SpecPath, Core.Secrets.SecretMasker Secrets, IIdTokenSource? IdTokens, string? Reason = null)
{
    /// <summary>Written into the lease ("GitHub Actions shop/deploy#42"); the machine and process when null.</summary>
    public string? Owner { get; init; }
}

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

    /// <summary>Why a command did nothing or failed before the engine ran (a platform error, a lease held elsewhere).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>What a command without events printed (plan, status, promote, abort), for the summary.</summary>
    public string Output { get; init; } = "";
}
