using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;

namespace ZdPipelines.Cli.Output;

/// <summary>
/// One timestamped line per event and nothing rewritten: a CI log shows every line as it was written,
/// so carriage-return tricks would only pile up there.
/// </summary>
internal sealed class PlainEventRenderer(CommandOutput output, TimeProvider time) : IEventRenderer
{
    public void Render(DeploymentEvent deploymentEvent) =>
        output.Line($"{TextFormat.Timestamp(deploymentEvent.At)} {Describe(deploymentEvent)}");

    public void Output(string source, string line) =>
        output.Line($"{TextFormat.Timestamp(time.GetUtcNow())} [{source}] {line}");

    internal static string Describe(DeploymentEvent e) => e switch
    {
        DeploymentStarted s => $"deployment {s.DeploymentId} {(s.Resumed ? "resumed" : "started")} ({s.Strategy}, {s.Steps} steps)",
        StepStarted s => $"{Kind(s.Rollback)} {s.Index}/{s.Of} started: {s.Description}",
        StepCompleted s => $"{Kind(s.Rollback)} {s.Index}/{s.Of} done in {TextFormat.Elapsed(s.Took)}: {s.Description}",
        StepSkipped s => $"{Kind(s.Rollback)} {s.Index}/{s.Of} already in place: {s.Description}",
        Waiting w => $"waiting {TextFormat.Elapsed(w.Elapsed)} (poll {w.Polls}): {w.What}",
        GateMeasured g => $"gate {g.SoFar.Gate} measured: {g.SoFar.Summary()}",
        GateEvaluated g => $"gate {g.Result.Gate} {Verdict(g.Result.Verdict)}: {g.Result.Summary()}",
        RollbackStarted r => $"rolling back: {r.Reason}",
        Warning w => $"warning: {w.Message}",
        DeploymentFinished f => $"deployment {f.DeploymentId} {TextFormat.Words(f.Outcome)} after {TextFormat.Elapsed(f.Took)}" + (f.Reason is null ? "" : $": {f.Reason}"),
        _ => e.ToString(),
    };

    private static string Kind(bool rollback) => rollback ? "rollback step" : "step";

    private static string Verdict(GateVerdict v) => v switch
    {
        GateVerdict.Pass => "passed",
        GateVerdict.Fail => "failed",
        _ => "inconclusive",
    };
}
