using System.Globalization;
using System.Text;

namespace ZdPipelines.Hosting.Summary;

/// <summary>
/// Charts as Mermaid <c>xychart-beta</c> blocks: one of the candidate weight over time, and one per gate of its
/// measured values against its threshold, on the deployment's clock.
/// </summary>
/// <remarks>
/// What GitHub renders, and what is confirmed: GitHub's docs (github/docs,
/// content/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams.md) say Mermaid in a
/// <c>```mermaid</c> fence renders "in GitHub Issues, GitHub Discussions, pull requests, wikis, and Markdown files",
/// and that the Mermaid version GitHub runs is shown by an <c>info</c> diagram. Job summaries are not in that list,
/// and no GitHub source says which Mermaid version is used or that <c>xychart-beta</c> (Mermaid 10.5+) is supported;
/// users report both working. So the summary always carries the same data as a plain table too
/// (<see cref="JobSummaryRenderer"/>'s Timeline), and a block GitHub does not render shows as readable text.
/// </remarks>
internal static class MermaidCharts
{
    public static void Append(StringBuilder md, DeploymentTimeline timeline, DateTimeOffset origin, int maxPoints)
    {
        var weights = timeline.Weights;
        var measurements = timeline.Measurements.Where(m => m.Value is not null).ToList();
        if (weights.Count == 0 && measurements.Count == 0)
        {
            return;
        }

        md.Append("### Candidate weight and gate values over time\n\n");
        if (weights.Count > 0)
        {
            var points = Thin(weights, maxPoints);
            // A step line: each weight holds until the next change, so the end of the run closes the last step.
            var end = timeline.Finished?.At;
            var labels = points.Select(p => p.At).ToList();
            var values = points.Select(p => (double)p.Weight).ToList();
            if (end is { } e && JobSummaryRenderer.Seconds(e - origin) != JobSummaryRenderer.Seconds(labels[^1] - origin))
            {
                labels.Add(e);
                values.Add(values[^1]);
            }

            Chart(md, "Candidate weight (%)", labels.Select(a => JobSummaryRenderer.Seconds(a - origin)).ToList(), "weight %", 0, 100,
                [("weight", values)]);
        }

        foreach (var gate in measurements.GroupBy(m => m.Gate, StringComparer.Ordinal))
        {
            var points = Thin(gate.ToList(), maxPoints);
            var values = points.Select(p => p.Value!.Value).ToList();
            var series = new List<(string, IReadOnlyList<double>)> { ("value", values) };
            var threshold = Threshold(points[^1].Condition);
            if (threshold is { } t)
            {
                series.Add(("threshold", points.Select(_ => t).ToList()));
            }

            var all = series.SelectMany(s => s.Item2).ToList();
            var low = Math.Min(0, all.Min());
            var high = all.Max();
            high = high <= low ? low + 1 : high + (high - low) * 0.1;
            Chart(md, $"Gate {gate.Key} ({points[^1].Condition})", points.Select(p => JobSummaryRenderer.Seconds(p.At - origin)).ToList(), "value", low, high, series);
        }
    }

    private static void Chart(StringBuilder md, string title, IReadOnlyList<string> labels, string axis, double low, double high, List<(string Name, IReadOnlyList<double> Values)> series)
    {
        md.Append("```mermaid\nxychart-beta\n");
        md.Append("    title \"").Append(Quoted(title)).Append("\"\n");
        md.Append("    x-axis \"seconds since start\" [").AppendJoin(", ", labels.Select(l => $"\"{Quoted(l)}\"")).Append("]\n");
        md.Append("    y-axis \"").Append(Quoted(axis)).Append("\" ").Append(Number(low)).Append(" --> ").Append(Number(high)).Append('\n');
        foreach (var (_, values) in series)
        {
            md.Append("    line [").AppendJoin(", ", values.Select(Number)).Append("]\n");
        }

        md.Append("```\n\n");
        if (series.Count > 1)
        {
            // xychart-beta draws no legend; say which line is which.
            md.Append("Lines: ").AppendJoin(", ", series.Select((s, i) => $"{(i == 0 ? "first" : "second")} = {s.Name}")).Append(".\n\n");
        }
    }

    /// <summary>At most <paramref name="max"/> points, evenly spread, always keeping the first and the last.</summary>
    private static List<T> Thin<T>(IReadOnlyList<T> points, int max)
    {
        if (points.Count <= max || max < 2)
        {
            return [.. points];
        }

        var step = (points.Count - 1) / (double)(max - 1);
        return Enumerable.Range(0, max).Select(i => points[(int)Math.Round(i * step)]).ToList();
    }

    /// <summary>The number in a gate condition such as "&lt; 0.05" (GateCondition.ToString in Core/Spec).</summary>
    private static double? Threshold(string condition)
    {
        var number = condition.TrimStart('<', '>', '=', '!', ' ');
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Quoted(string text) => text.Replace("\"", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
