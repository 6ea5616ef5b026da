using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Hosting.Session;
using ZdPipelines.Hosting.Summary;

namespace ZdPipelines.Hosts.AzureDevOps.Logging;

/// <summary>
/// A session as the agent shows it, around the zdp command line's own rendering (<paramref name="text"/>, plain or
/// JSON lines, so the log reads like `zdp`'s): a <c>##[group]</c> per step with the step's lines inside,
/// <c>task.setprogress</c> as steps start and finish, <c>task.logissue</c> errors for spec errors (with file, line and
/// column), failed gates and problems, warnings for inconclusive gates, rollbacks and the engine's warnings. It also
/// keeps what the summary and the output variables need: the <see cref="Timeline"/>, the service, the deployment id.
/// Calls are serialised: hook output and lease warnings come from other threads.
/// </summary>
internal sealed class AgentLogObserver(ISessionObserver text, LoggingCommandWriter commands, Func<string, string> mask, Func<string, string> displayPath) : ISessionObserver
{
    private readonly Lock _sync = new();
    private bool _groupOpen;

    public DeploymentTimeline Timeline { get; } = new();

    public string? Service { get; private set; }

    /// <summary>The deployment acted on or found (status, promote, abort): the <c>deploymentId</c> output.</summary>
    public string? DeploymentId { get; private set; }

    public int SpecErrors { get; private set; }

    public void OnSpecRejected(string path, IReadOnlyList<SpecError> errors)
    {
        lock (_sync)
        {
            SpecErrors += errors.Count;
            foreach (var error in errors)
            {
                var where = error.Path.Length == 0 ? "" : $"{error.Path}: ";
                var fix = error.Fix.Length == 0 ? "" : $" Fix: {error.Fix}";
                commands.LogIssue(IssueType.Error, mask($"{where}{error.Message}{fix}"), new SourceLocation(displayPath(error.File), error.Line, error.Column), "zdp-spec");
            }

            text.OnSpecRejected(path, errors);
            commands.Line($"{errors.Count} problem(s) with the spec {displayPath(path)}; nothing was changed.");
        }
    }

    public void OnPlatformOpened(DeploymentSpec spec, IPlatform platform, IReadOnlyList<string> notes)
    {
        lock (_sync)
        {
            Service = spec.Name;
            foreach (var note in notes)
            {
                commands.Line(mask($"note: {note}"));
            }

            text.OnPlatformOpened(spec, platform, notes);
        }
    }

    public void OnPlanned(PlanReport plan)
    {
        lock (_sync)
        {
            if (!plan.Full)
            {
                Timeline.UsePlan(plan.Plan);
            }

            text.OnPlanned(plan);
        }
    }

    public void OnPlanRefused(string service, IReadOnlyList<string> problems)
    {
        lock (_sync)
        {
            Service = service;
            foreach (var problem in problems)
            {
                commands.LogIssue(IssueType.Error, mask($"refused: {problem}"));
            }

            text.OnPlanRefused(service, problems);
        }
    }

    public void OnEvent(DeploymentEvent deploymentEvent)
    {
        lock (_sync)
        {
            Timeline.Observe(deploymentEvent);
            switch (deploymentEvent)
            {
                case DeploymentStarted started:
                    DeploymentId = started.DeploymentId;
                    text.OnEvent(deploymentEvent);
                    break;
                case StepStarted step:
                    EndGroup();
                    commands.BeginGroup(mask($"{(step.Rollback ? "rollback " : "")}step {step.Index}/{step.Of}: {step.Description}"));
                    _groupOpen = true;
                    commands.SetProgress(Percent(step.Index - 1, step.Of), mask($"{(step.Rollback ? "rollback: " : "")}{step.Description}"));
                    text.OnEvent(deploymentEvent);
                    break;
                case StepCompleted step:
                    text.OnEvent(deploymentEvent);
                    EndGroup();
                    commands.SetProgress(Percent(step.Index, step.Of), mask($"{(step.Rollback ? "rollback: " : "")}{step.Description}"));
                    break;
                case StepSkipped step:
                    text.OnEvent(deploymentEvent);
                    EndGroup();
                    commands.SetProgress(Percent(step.Index, step.Of), mask($"{(step.Rollback ? "rollback: " : "")}{step.Description}"));
                    break;
                case GateEvaluated { Result: var result }:
                    text.OnEvent(deploymentEvent);
                    if (result.Verdict == GateVerdict.Fail)
                    {
                        commands.LogIssue(IssueType.Error, mask($"gate '{result.Gate}' failed: {result.Summary()}"), code: "zdp-gate");
                    }
                    else if (result.Verdict == GateVerdict.Inconclusive)
                    {
                        commands.LogIssue(IssueType.Warning, mask($"gate '{result.Gate}' inconclusive: {result.Summary()}"), code: "zdp-gate");
                    }

                    break;
                case RollbackStarted rollback:
                    EndGroup();
                    text.OnEvent(deploymentEvent);
                    commands.LogIssue(IssueType.Warning, mask($"rolling back: {rollback.Reason}"), code: "zdp-rollback");
                    break;
                case Warning warning:
                    text.OnEvent(deploymentEvent);
                    commands.LogIssue(IssueType.Warning, mask(warning.Message));
                    break;
                case DeploymentFinished finished:
                    EndGroup();
                    DeploymentId = finished.DeploymentId;
                    text.OnEvent(deploymentEvent);
                    break;
                default:
                    text.OnEvent(deploymentEvent);
                    break;
            }
        }
    }

    public void OnHookOutput(string source, string line)
    {
        lock (_sync)
        {
            text.OnHookOutput(source, line);
        }
    }

    public void OnStatus(StatusReport status)
    {
        lock (_sync)
        {
            Service = status.Spec.Name;
            DeploymentId = status.Journal?.DeploymentId;
            text.OnStatus(status);
        }
    }

    public void OnSignalled(SignalReport signal)
    {
        lock (_sync)
        {
            DeploymentId = signal.Journal.DeploymentId;
            text.OnSignalled(signal);
        }
    }

    public void OnProblem(string message)
    {
        lock (_sync)
        {
            EndGroup();
            commands.LogIssue(IssueType.Error, mask(message.StartsWith("zdp: ", StringComparison.Ordinal) ? message["zdp: ".Length..] : message));
            text.OnProblem(message);
        }
    }

    public void OnNotice(string message)
    {
        lock (_sync)
        {
            text.OnNotice(message);
        }
    }

    public void OnFinished(SessionOutcome outcome)
    {
        lock (_sync)
        {
            EndGroup();
            DeploymentId = outcome.DeploymentId ?? DeploymentId;
            text.OnFinished(outcome);
        }
    }

    private void EndGroup()
    {
        if (_groupOpen)
        {
            commands.EndGroup();
            _groupOpen = false;
        }
    }

    private static int Percent(int done, int of) => of <= 0 ? 0 : (int)Math.Round(100.0 * Math.Clamp(done, 0, of) / of, MidpointRounding.AwayFromZero);
}
