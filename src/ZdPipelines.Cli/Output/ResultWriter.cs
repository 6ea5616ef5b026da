using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;

namespace ZdPipelines.Cli.Output;

/// <summary>The summary that ends deploy, resume and rollback: what happened, why, and on what evidence.</summary>
internal static class ResultWriter
{
    public static void Write(CommandOutput output, DeploymentResult result, int? totalSteps, int exitCode)
    {
        if (output.IsJson)
        {
            output.Json(new
            {
                @event = "result",
                deploymentId = result.DeploymentId,
                outcome = result.Outcome,
                reason = result.Reason,
                gates = result.Gates,
                stepsCompleted = result.StepsCompleted,
                steps = totalSteps,
                took = result.Took,
                polls = result.Polls,
                exitCode,
            }, CliJson.Lines);
            return;
        }

        var color = result.Outcome switch
        {
            DeploymentOutcome.Promoted => Ansi.Green,
            DeploymentOutcome.RolledBack or DeploymentOutcome.Cancelled or DeploymentOutcome.Refused => Ansi.Yellow,
            _ => Ansi.Red,
        };
        output.Line();
        output.Line(output.Paint($"outcome: {TextFormat.Words(result.Outcome)}", Ansi.Bold + color) + $" (exit {exitCode})");
        if (result.Reason is not null)
        {
            output.Line($"reason: {result.Reason}");
        }

        if (result.Gates.Count > 0)
        {
            output.Line("gates:");
            foreach (var gate in result.Gates)
            {
                output.Line($"  {gate.Gate}: {Verdict(gate.Verdict)}, value {TextFormat.Value(gate.LastValue)}, threshold {gate.Condition}, " +
                    $"{gate.Samples} samples, {gate.Measurements} measurement(s)" + (gate.Detail is null ? "" : $" ({gate.Detail})"));
            }
        }

        output.Line(totalSteps is { } n ? $"steps: {result.StepsCompleted} of {n} completed" : $"steps completed: {result.StepsCompleted}");
        output.Line($"duration: {TextFormat.Elapsed(result.Took)}");
        if (result.DeploymentId != "-")
        {
            output.Line($"deployment: {result.DeploymentId}");
        }
    }

    private static string Verdict(GateVerdict verdict) => verdict switch
    {
        GateVerdict.Pass => "passed",
        GateVerdict.Fail => "failed",
        _ => "inconclusive",
    };
}
