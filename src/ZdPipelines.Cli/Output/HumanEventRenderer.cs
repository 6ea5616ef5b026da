using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;

namespace ZdPipelines.Cli.Output;

/// <summary>
/// Live progress for a person: finished steps stay on screen, the step in progress is one status line
/// redrawn in place (waits, gate measurements), so a ten-minute deployment does not scroll a thousand
/// poll lines past the reader.
/// </summary>
internal sealed class HumanEventRenderer(CommandOutput output) : IEventRenderer
{
    /// <summary>Used when the terminal width cannot be read; wide enough for most step descriptions.</summary>
    private const int FallbackWidth = 120;

    private bool _statusShown;
    private string _step = "";

    public void Render(DeploymentEvent deploymentEvent)
    {
        lock (output.Sync)
        {
            switch (deploymentEvent)
            {
                case DeploymentStarted s:
                    Permanent(output.Paint($"{(s.Resumed ? "resuming" : "deploying")} {s.DeploymentId}", Ansi.Bold) + $" ({s.Strategy}, {s.Steps} steps)");
                    break;
                case StepStarted s:
                    _step = $"[{s.Index}/{s.Of}] {s.Description}";
                    Status($"  {(s.Rollback ? "↺" : "…")} {_step}");
                    break;
                case Waiting w:
                    Status($"  … {_step}: {(_step.EndsWith(w.What, StringComparison.Ordinal) ? "waiting" : w.What)} ({TextFormat.Elapsed(w.Elapsed)})");
                    break;
                case GateMeasured g:
                    Status($"  … {_step}: measurement {g.SoFar.Measurements}, value {TextFormat.Value(g.SoFar.LastValue)} (threshold {g.SoFar.Condition})");
                    break;
                case StepCompleted s:
                    Permanent($"  {(s.Rollback ? output.Paint("↺", Ansi.Yellow) : output.Paint("✓", Ansi.Green))} [{s.Index}/{s.Of}] {s.Description} " + output.Paint($"({TextFormat.Elapsed(s.Took)})", Ansi.Dim));
                    break;
                case StepSkipped s:
                    Permanent($"  · [{s.Index}/{s.Of}] {s.Description} " + output.Paint("(already in place)", Ansi.Dim));
                    break;
                case GateEvaluated g:
                    Permanent($"    {Mark(g.Result.Verdict)} gate {g.Result.Gate}: {g.Result.Summary()}");
                    break;
                case RollbackStarted r:
                    Permanent(output.Paint($"↺ rolling back: {r.Reason}", Ansi.Yellow));
                    break;
                case Warning w:
                    Permanent(output.Paint($"! {w.Message}", Ansi.Yellow));
                    break;
                case DeploymentFinished:
                    // The command prints the summary; only the status line has to go.
                    ClearStatus();
                    break;
            }
        }
    }

    public void Output(string source, string line)
    {
        lock (output.Sync)
        {
            Permanent(output.Paint($"    [{source}] ", Ansi.Dim) + line);
        }
    }

    private string Mark(GateVerdict verdict) => verdict switch
    {
        GateVerdict.Pass => output.Paint("✓", Ansi.Green),
        GateVerdict.Fail => output.Paint("✗", Ansi.Red),
        _ => output.Paint("?", Ansi.Yellow),
    };

    private void Permanent(string line)
    {
        ClearStatus();
        output.Raw(output.Out, line + Environment.NewLine);
        output.Out.Flush();
    }

    private void Status(string line)
    {
        // A status line that wraps cannot be erased with \r, so it is cut to the terminal width.
        var width = Math.Max(20, Width() - 1);
        output.Raw(output.Out, Ansi.ClearLine + (line.Length > width ? line[..(width - 1)] + "…" : line));
        output.Out.Flush();
        _statusShown = true;
    }

    private void ClearStatus()
    {
        if (_statusShown)
        {
            output.Out.Write(Ansi.ClearLine);
            _statusShown = false;
        }
    }

    private static int Width()
    {
        try
        {
            return Console.IsOutputRedirected || Console.WindowWidth <= 0 ? FallbackWidth : Console.WindowWidth;
        }
        catch (IOException)
        {
            return FallbackWidth;
        }
    }
}
