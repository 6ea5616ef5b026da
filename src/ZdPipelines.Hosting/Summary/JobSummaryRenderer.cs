using System.Globalization;
using System.Text;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Hosting.Summary;

/// <summary>How charts are drawn: as Mermaid blocks (GitHub), or not at all (hosts whose Markdown has no charts).</summary>
public enum ChartSyntax
{
    None,
    Mermaid,
}

public sealed record JobSummaryOptions
{
    /// <summary>
    /// GitHub's limit for one step's summary (docs workflow-commands "Adding a job summary": 1 MiB; past it the upload is
    /// skipped with an error annotation), so a long deployment's summary is cut rather than lost.
    /// </summary>
    public const int GitHubMaxBytes = 1024 * 1024;

    /// <summary>
    /// Points per chart: beyond about this many, x-axis labels overlap into noise; the timeline table keeps every
    /// point.
    /// </summary>
    public const int DefaultMaxChartPoints = 40;

    public ChartSyntax Charts { get; init; } = ChartSyntax.Mermaid;

    public int MaxBytes { get; init; } = GitHubMaxBytes;

    public int MaxChartPoints { get; init; } = DefaultMaxChartPoints;
}

/// <summary>What the summary is about: "zdp deploy" of which service, and the exit code the step ends with.</summary>
public sealed record SummaryHeader(string Command, string? Service, int ExitCode, string? Outcome = null, string? Note = null);

/// <summary>
/// The deployment as Markdown for a CI run's summary page: outcome, rollback reason, gate verdicts with value,
/// threshold and samples, the steps with their durations, charts of the candidate weight and of each gate's values,
/// and the same as a plain table. Only the chart blocks are host-specific (<see cref="ChartSyntax"/>); the rest is
/// plain CommonMark tables, which GitHub and Azure DevOps both render, so both hosts share it.
/// </summary>
public static class JobSummaryRenderer
{
    public static string Render(DeploymentTimeline timeline, SummaryHeader header, JobSummaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(options);
        var md = new StringBuilder();
        var finished = timeline.Finished;
        var outcome = header.Outcome ?? (finished is null ? "not started" : Words(finished.Outcome));
        md.Append("## ").Append(Symbol(finished?.Outcome, header.ExitCode)).Append(" zdp ").Append(header.Command);
        if (header.Service is { } service)
        {
            md.Append(": ").Append(Cell(service));
        }

        md.Append(" — ").Append(outcome).Append("\n\n");
        var facts = new List<string> { $"**Outcome:** {outcome} (exit {header.ExitCode})" };
        if (finished is not null)
        {
            facts.Add($"**Duration:** {Durations.Format(finished.Took)}");
        }

        if (timeline.Started is { } started)
        {
            facts.Add($"**Strategy:** {started.Strategy}");
            var done = timeline.Steps.Count(s => !s.Rollback && s.Status != StepStatus.Running);
            facts.Add($"**Steps:** {done} of {started.Steps}");
            facts.Add($"**Deployment:** `{started.DeploymentId}`{(started.Resumed ? " (resumed)" : "")}");
        }

        md.AppendJoin(" · ", facts).Append("\n\n");
        if (timeline.RollbackReason is { } reason)
        {
            md.Append("> **Rolled back:** ").Append(Inline(reason)).Append("\n\n");
        }
        else if (finished is { Outcome: not DeploymentOutcome.Promoted, Reason: { } why })
        {
            md.Append("> **Reason:** ").Append(Inline(why)).Append("\n\n");
        }

        if (header.Note is { } note)
        {
            md.Append("> ").Append(Inline(note)).Append("\n\n");
        }

        foreach (var warning in timeline.Warnings)
        {
            md.Append("> ⚠ ").Append(Inline(warning)).Append("\n\n");
        }

        Gates(md, timeline.Gates);
        Steps(md, timeline.Steps);
        var steps = timeline.Steps;
        var origin = timeline.Started?.At ?? (steps.Count > 0 ? steps[0].StartedAt : null);
        if (origin is { } t0 && options.Charts == ChartSyntax.Mermaid)
        {
            MermaidCharts.Append(md, timeline, t0, options.MaxChartPoints);
        }

        if (origin is { } t1)
        {
            TimelineTable(md, timeline, t1);
        }

        return MarkdownBudget.Fit(md.ToString(), options.MaxBytes);
    }

    /// <summary>A command that is not a deployment (plan, status, promote, abort): its output, verbatim.</summary>
    public static string RenderOutput(SummaryHeader header, string output, JobSummaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(output);
        var md = new StringBuilder();
        md.Append("## ").Append(header.ExitCode == 0 ? "✅" : "❌").Append(" zdp ").Append(header.Command);
        if (header.Service is { } service)
        {
            md.Append(": ").Append(Cell(service));
        }

        md.Append(" — exit ").Append(header.ExitCode.ToString(CultureInfo.InvariantCulture)).Append("\n\n");
        if (header.Note is { } note)
        {
            md.Append("> ").Append(Inline(note)).Append("\n\n");
        }

        // A fence longer than any backtick run in the text, so the output cannot close it early.
        var fence = new string('`', Math.Max(3, LongestRun(output, '`') + 1));
        md.Append(fence).Append("text\n").Append(output.TrimEnd()).Append('\n').Append(fence).Append('\n');
        return MarkdownBudget.Fit(md.ToString(), options.MaxBytes);
    }

    private static void Gates(StringBuilder md, IReadOnlyList<GateResult> gates)
    {
        md.Append("### Gates\n\n");
        if (gates.Count == 0)
        {
            md.Append("No gate was evaluated.\n\n");
            return;
        }

        md.Append("| gate | verdict | value | threshold | samples | measurements | failed | inconclusive | detail |\n");
        md.Append("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |\n");
        foreach (var gate in gates)
        {
            md.Append("| ").Append(Cell(gate.Gate))
                .Append(" | ").Append(Verdict(gate.Verdict))
                .Append(" | ").Append(Number(gate.LastValue))
                .Append(" | ").Append(Cell(gate.Condition))
                .Append(" | ").Append(gate.Samples.ToString(CultureInfo.InvariantCulture))
                .Append(" | ").Append(gate.Measurements.ToString(CultureInfo.InvariantCulture))
                .Append(" | ").Append(gate.Failures.ToString(CultureInfo.InvariantCulture))
                .Append(" | ").Append(gate.Inconclusives.ToString(CultureInfo.InvariantCulture))
                .Append(" | ").Append(Cell(gate.Detail ?? ""))
                .Append(" |\n");
        }

        md.Append('\n');
    }

    private static void Steps(StringBuilder md, IReadOnlyList<StepRow> steps)
    {
        md.Append("### Steps\n\n");
        if (steps.Count == 0)
        {
            md.Append("No step ran.\n\n");
            return;
        }

        md.Append("| # | step | result | took |\n| ---: | --- | --- | ---: |\n");
        foreach (var step in steps)
        {
            md.Append("| ").Append(step.Rollback ? "↺ " : "").Append(step.Index.ToString(CultureInfo.InvariantCulture))
                .Append(" | ").Append(step.Rollback ? "rollback: " : "").Append(Cell(step.Description))
                .Append(" | ").Append(step.Status switch
                {
                    StepStatus.Completed => "done",
                    StepStatus.Skipped => "skipped (already in place)",
                    _ => "not finished",
                })
                .Append(" | ").Append(step.Took is { } took ? Durations.Format(took) : "—")
                .Append(" |\n");
        }

        md.Append('\n');
    }

    private static void TimelineTable(StringBuilder md, DeploymentTimeline timeline, DateTimeOffset origin)
    {
        var rows = timeline.Weights.Select(w => (w.At, Weight: (int?)w.Weight, Gate: (string?)null, Value: (double?)null, Samples: (int?)null))
            .Concat(timeline.Measurements.Select(m => (m.At, Weight: (int?)null, Gate: (string?)m.Gate, m.Value, Samples: (int?)m.Samples)))
            .OrderBy(r => r.At)
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        md.Append("### Timeline\n\nCandidate weight and gate measurements, in order (the same data as the charts).\n\n");
        md.Append("| time | candidate weight | gate | value | samples |\n| ---: | ---: | --- | ---: | ---: |\n");
        foreach (var row in rows)
        {
            md.Append("| +").Append(Seconds(row.At - origin))
                .Append(" | ").Append(row.Weight is { } w ? $"{w.ToString(CultureInfo.InvariantCulture)} %" : "")
                .Append(" | ").Append(row.Gate is { } g ? Cell(g) : "")
                .Append(" | ").Append(row.Gate is null ? "" : Number(row.Value))
                .Append(" | ").Append(row.Samples?.ToString(CultureInfo.InvariantCulture) ?? "")
                .Append(" |\n");
        }

        md.Append('\n');
    }

    internal static string Seconds(TimeSpan elapsed) => $"{Math.Max(0, elapsed.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture)}s";

    internal static string Number(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "no data";

    private static string Verdict(GateVerdict verdict) => verdict switch
    {
        GateVerdict.Pass => "✅ passed",
        GateVerdict.Fail => "❌ failed",
        _ => "⚠ inconclusive",
    };

    private static string Symbol(DeploymentOutcome? outcome, int exitCode) => outcome switch
    {
        DeploymentOutcome.Promoted => "✅",
        DeploymentOutcome.RolledBack or DeploymentOutcome.Cancelled => "↩",
        null when exitCode == 0 => "✅",
        _ => "❌",
    };

    private static string Words(DeploymentOutcome outcome) => outcome switch
    {
        DeploymentOutcome.Promoted => "promoted",
        DeploymentOutcome.RolledBack => "rolled back",
        DeploymentOutcome.Cancelled => "cancelled, rolled back",
        DeploymentOutcome.Refused => "refused",
        _ => "failed",
    };

    /// <summary>Text for a table cell: one line, pipes escaped, and angle brackets as entities so "&lt;0.05" is not read as a tag.</summary>
    internal static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal);

    internal static string Inline(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    private static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
