using System.Globalization;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Hosts.GitHubActions.Runner;

/// <summary>
/// The engine's events as the step's log: one collapsible group per step, plain lines inside, an error annotation for
/// a failed gate, a warning for an inconclusive one, for a rollback and for the engine's warnings, and the waits only
/// as debug lines (they come once per poll).
/// </summary>
internal sealed class WorkflowEventLog(WorkflowLog log)
{
    public void Observe(DeploymentEvent deploymentEvent)
    {
        ArgumentNullException.ThrowIfNull(deploymentEvent);
        switch (deploymentEvent)
        {
            case DeploymentStarted started:
                log.Line($"deployment {started.DeploymentId} {(started.Resumed ? "resumed" : "started")} ({started.Strategy}, {started.Steps} steps)");
                break;
            case StepStarted step:
                log.Group($"{(step.Rollback ? "rollback " : "")}step {step.Index}/{step.Of}: {step.Description}");
                break;
            case StepCompleted step:
                log.Line($"done in {Durations.Format(step.Took)}");
                log.EndGroup();
                break;
            case StepSkipped:
                log.Line("skipped: already in place");
                log.EndGroup();
                break;
            case Waiting waiting:
                log.Debug($"waiting: {waiting.What} ({Durations.Format(waiting.Elapsed)}, {waiting.Polls.ToString(CultureInfo.InvariantCulture)} polls)");
                break;
            case GateMeasured measured:
                log.Line($"gate {measured.SoFar.Gate} measurement {measured.SoFar.Measurements.ToString(CultureInfo.InvariantCulture)}: {measured.SoFar.Summary()}");
                break;
            case GateEvaluated { Result: var result }:
                var text = $"gate '{result.Gate}' {Verdict(result.Verdict)}: {result.Summary()}";
                switch (result.Verdict)
                {
                    case GateVerdict.Fail:
                        log.Error(text, new AnnotationLocation(Title: $"zdp: gate {result.Gate} failed"));
                        break;
                    case GateVerdict.Inconclusive:
                        log.Warning(text, new AnnotationLocation(Title: $"zdp: gate {result.Gate} inconclusive"));
                        break;
                    default:
                        log.Line(text);
                        break;
                }

                break;
            case RollbackStarted rollback:
                log.EndGroup();
                log.Warning($"rolling back: {rollback.Reason}", new AnnotationLocation(Title: "zdp: rolling back"));
                break;
            case Warning warning:
                log.Warning(warning.Message, new AnnotationLocation(Title: "zdp"));
                break;
            case DeploymentFinished finished:
                log.EndGroup();
                log.Line($"deployment {finished.DeploymentId} {finished.Outcome.ToString().ToLowerInvariant()} after {Durations.Format(finished.Took)}" +
                    (finished.Reason is null ? "" : $": {finished.Reason}"));
                break;
        }
    }

    /// <summary>A line a hook or command gate printed, labelled with its source.</summary>
    public void Output(string source, string line) => log.Line($"[{source}] {line}");

    private static string Verdict(GateVerdict verdict) => verdict switch
    {
        GateVerdict.Pass => "passed",
        GateVerdict.Fail => "failed",
        _ => "inconclusive",
    };
}
