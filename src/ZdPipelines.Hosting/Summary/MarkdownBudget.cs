using System.Text;

namespace ZdPipelines.Hosting.Summary;

/// <summary>Cuts Markdown to a byte budget at a line boundary, closing a code fence the cut leaves open, with a note saying so.</summary>
public static class MarkdownBudget
{
    public static string Fit(string markdown, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var total = Encoding.UTF8.GetByteCount(markdown);
        if (total <= maxBytes)
        {
            return markdown;
        }

        var note = $"\n> ✂ This summary was cut to {maxBytes / 1024} KiB of {(total + 1023) / 1024} KiB (the most a step's summary may hold); the step's log has every event.\n";
        // Room for the note and a closing fence; the rest is filled line by line.
        var budget = maxBytes - Encoding.UTF8.GetByteCount(note) - Encoding.UTF8.GetByteCount("````````\n");
        var kept = new StringBuilder();
        var used = 0;
        string? openFence = null;
        foreach (var line in markdown.Split('\n'))
        {
            var size = Encoding.UTF8.GetByteCount(line) + 1;
            if (used + size > budget)
            {
                break;
            }

            kept.Append(line).Append('\n');
            used += size;
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                var fence = new string('`', trimmed.TakeWhile(c => c == '`').Count());
                openFence = openFence is null ? fence : trimmed.TrimEnd() == openFence ? null : openFence;
            }
        }

        if (openFence is not null)
        {
            kept.Append(openFence).Append('\n');
        }

        return kept.Append(note).ToString();
    }
}
