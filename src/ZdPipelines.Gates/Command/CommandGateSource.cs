using System.Globalization;
using ZdPipelines.Gates.Shell;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Gates.Command;

/// <summary>
/// A gate measured by a shell command: its exit code is the value (condition "== 0"), or its stdout is
/// (a script that prints an error rate). The command learns what it measures from ZDP_* variables.
/// </summary>
public sealed class CommandGateSource(TimeProvider time) : IGateSource
{
    /// <summary>Output quoted in a detail message is cut to this, so a chatty script cannot flood the log.</summary>
    private const int QuoteLimit = 200;

    public string Kind => "command";

    public async Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken)
    {
        var command = gate.SourceAs<CommandGateOptions>() ?? throw new ArgumentException($"gate '{gate.Name}' has no command block", nameof(gate));
        var run = context.Expand(command.Run);
        using var timeout = new CancellationTokenSource(command.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ShellResult result;
        try
        {
            result = await ShellCommand.RunAsync(run, Environment(context), null, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A check that hangs says nothing about the candidate; the gate's noData policy decides.
            return Measurement.NoData($"'{run}' did not finish within its timeout ({Durations.Format(command.Timeout)}); it was killed");
        }

        if (command.Measure == CommandMeasure.ExitCode)
        {
            return new Measurement(result.ExitCode, 1, result.ExitCode == 0 ? null : $"'{run}' exited with code {result.ExitCode}{Tail(result.Combined)}");
        }

        if (result.ExitCode != 0)
        {
            return Measurement.NoData($"'{run}' exited with code {result.ExitCode}, so its stdout is not a measurement{Tail(result.Combined)}");
        }

        return TryParse(result.Stdout, out var value)
            ? new Measurement(value, 1)
            : Measurement.NoData($"stdout of '{run}' is not a number: '{Quote(result.Stdout.Trim())}'. Fix: print only the number (e.g. `echo 0.02`), or use measure: exitCode");
    }

    /// <summary>The whole trimmed stdout, or else its last non-empty line: scripts often log before they print the number.</summary>
    internal static bool TryParse(string stdout, out double value)
    {
        const NumberStyles Style = NumberStyles.Float;
        var trimmed = stdout.Trim();
        if (double.TryParse(trimmed, Style, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        var last = trimmed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return last is not null && double.TryParse(last, Style, CultureInfo.InvariantCulture, out value);
    }

    private static Dictionary<string, string> Environment(GateContext context) => new(StringComparer.Ordinal)
    {
        ["ZDP_DEPLOYMENT_ID"] = context.DeploymentId,
        ["ZDP_SIDE"] = context.Side == Side.Candidate ? "candidate" : "stable",
        ["ZDP_ADDRESS"] = context.Address ?? "",
        ["ZDP_PREVIEW_ADDRESS"] = context.PreviewAddress ?? "",
    };

    private static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : ": " + Quote(string.Join(" | ", lines.TakeLast(3)));
    }

    private static string Quote(string text) => text.Length <= QuoteLimit ? text : text[..QuoteLimit] + "…";
}
