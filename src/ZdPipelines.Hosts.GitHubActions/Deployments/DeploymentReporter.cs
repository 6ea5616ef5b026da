using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Hosts.GitHubActions.Runner;

namespace ZdPipelines.Hosts.GitHubActions.Deployments;

/// <summary>What a deployment is recorded as on GitHub: which environment, ref, and where its log and service are.</summary>
internal sealed record DeploymentTarget(string Environment, string Ref, string? EnvironmentUrl, string? LogUrl, string Spec);

/// <summary>
/// Tells GitHub's Deployments API about one zdp deployment: creates it, marks it in_progress, says when a rollback
/// starts, and ends it as success (promoted), failure (rolled back or cancelled) or error (the platform failed, or
/// the run was refused). GitHub's deployment list is a view of the run, never a reason for the run to fail: a token
/// without <c>deployments: write</c> gives one warning and no more calls, and any other API error a warning.
/// </summary>
internal sealed class DeploymentReporter(IDeploymentsApi api, DeploymentTarget target, WorkflowLog log)
{
    private bool _disabled;
    private string? _lastStep;
    private GateResult? _failedGate;

    /// <summary>The GitHub deployment id, once created (the <c>deployment-id</c> output).</summary>
    public long? DeploymentId { get; private set; }

    public async Task StartAsync(string service, CancellationToken cancellationToken)
    {
        await CallAsync(async ct =>
        {
            DeploymentId = await api.CreateDeploymentAsync(
                new NewDeployment
                {
                    Ref = target.Ref,
                    Environment = target.Environment,
                    Description = StatusDescription.Fit($"zdp deploy of {service}"),
                    Payload = new DeploymentPayload("zdp", target.Spec),
                },
                ct);
        }, cancellationToken);
        await StatusAsync(DeploymentState.InProgress, $"deploying {service}", cancellationToken);
    }

    /// <summary>Follows the engine: remembers the step and failed gate for the final description; a rollback gets its own status.</summary>
    public async Task ObserveAsync(DeploymentEvent deploymentEvent, CancellationToken cancellationToken)
    {
        switch (deploymentEvent)
        {
            case StepStarted { Rollback: false } step:
                _lastStep = $"step {step.Index}/{step.Of}: {step.Description}";
                break;
            case GateEvaluated { Result.Verdict: not GateVerdict.Pass } gate:
                _failedGate = gate.Result;
                break;
            case RollbackStarted rollback:
                await StatusAsync(DeploymentState.InProgress, $"rolling back: {rollback.Reason}", cancellationToken);
                break;
        }
    }

    /// <summary>The final status for how the run ended.</summary>
    public Task FinishAsync(DeploymentOutcome outcome, string? reason, CancellationToken cancellationToken) =>
        StatusAsync(StateFor(outcome), DescribeEnd(outcome, reason), cancellationToken);

    /// <summary>The run could not start the deployment (bad spec, missing placeholder): error, with what was wrong.</summary>
    public Task FailBeforeStartAsync(string problem, CancellationToken cancellationToken) =>
        StatusAsync(DeploymentState.Error, problem, cancellationToken);

    public static DeploymentState StateFor(DeploymentOutcome outcome) => outcome switch
    {
        DeploymentOutcome.Promoted => DeploymentState.Success,
        // Rolled back, by a gate or by a cancel: the new version is not serving, the old one is.
        DeploymentOutcome.RolledBack or DeploymentOutcome.Cancelled => DeploymentState.Failure,
        _ => DeploymentState.Error,
    };

    private string DescribeEnd(DeploymentOutcome outcome, string? reason) => outcome switch
    {
        DeploymentOutcome.Promoted => "promoted",
        DeploymentOutcome.RolledBack when _failedGate is { } gate => $"rolled back: gate '{gate.Gate}' {Verdict(gate.Verdict)} ({gate.Summary()})",
        DeploymentOutcome.RolledBack => $"rolled back: {reason ?? _lastStep ?? "no reason given"}",
        DeploymentOutcome.Cancelled => $"cancelled at {_lastStep ?? "the start"}; rolled back",
        DeploymentOutcome.Refused => $"refused: {reason ?? "the platform refused the deployment"}",
        _ => $"platform error at {_lastStep ?? "the start"}: {reason ?? "see the log"}",
    };

    private static string Verdict(GateVerdict verdict) => verdict == GateVerdict.Fail ? "failed" : "inconclusive";

    private Task StatusAsync(DeploymentState state, string description, CancellationToken cancellationToken)
    {
        if (DeploymentId is not { } id)
        {
            return Task.CompletedTask;
        }

        return CallAsync(
            ct => api.CreateStatusAsync(
                id,
                new NewDeploymentStatus
                {
                    State = state,
                    Description = StatusDescription.Fit(description),
                    LogUrl = target.LogUrl,
                    EnvironmentUrl = target.EnvironmentUrl,
                },
                ct),
            cancellationToken);
    }

    private async Task CallAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        if (_disabled)
        {
            return;
        }

        try
        {
            await call(cancellationToken);
        }
        catch (DeploymentsApiException e) when (e.IsMissingPermission)
        {
            _disabled = true;
            log.Warning(
                $"GitHub did not record the deployment: {e.Message}. The deployment itself goes on. " +
                "Fix: give the job `permissions: deployments: write` and pass `github-token` (the default is the job's token).",
                new AnnotationLocation(Title: "zdp: no deployments: write permission"));
        }
        catch (Exception e) when (e is DeploymentsApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A status that did not arrive is a stale view on GitHub, not a failed deployment.
            _disabled |= DeploymentId is null;
            log.Warning($"GitHub's Deployments API call failed: {e.Message}. The deployment itself goes on.", new AnnotationLocation(Title: "zdp: Deployments API"));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _disabled |= DeploymentId is null;
            log.Warning("GitHub's Deployments API did not answer in time; the deployment's status on GitHub may be out of date.", new AnnotationLocation(Title: "zdp: Deployments API"));
        }
    }
}
