using System.Text;

namespace ZdPipelines.Hosts.GitHubActions.Runner;

/// <summary>
/// The escaping of GitHub's workflow commands (actions/toolkit packages/core/src/command.ts, read back by the runner's
/// Runner.Common/ActionCommand.cs): data escapes <c>%</c> first, then CR and LF; property values also escape
/// <c>:</c> and <c>,</c>, which separate properties.
/// </summary>
internal static class WorkflowCommands
{
    public static string EscapeData(string value) => value
        .Replace("%", "%25", StringComparison.Ordinal)
        .Replace("\r", "%0D", StringComparison.Ordinal)
        .Replace("\n", "%0A", StringComparison.Ordinal);

    public static string EscapeProperty(string value) => EscapeData(value)
        .Replace(":", "%3A", StringComparison.Ordinal)
        .Replace(",", "%2C", StringComparison.Ordinal);

    /// <summary><c>::name key=value,key=value::message</c>; properties without a value are left out.</summary>
    public static string Format(string name, IEnumerable<KeyValuePair<string, string?>> properties, string message)
    {
        var line = new StringBuilder("::").Append(name);
        var first = true;
        foreach (var (key, value) in properties)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            line.Append(first ? ' ' : ',').Append(key).Append('=').Append(EscapeProperty(value));
            first = false;
        }

        return line.Append("::").Append(EscapeData(message)).ToString();
    }
}

/// <summary>Where an annotation points: GitHub shows it on that line of that file in the pull request's diff.</summary>
internal sealed record AnnotationLocation(string? File = null, int? Line = null, int? Column = null, string? Title = null)
{
    public IEnumerable<KeyValuePair<string, string?>> Properties()
    {
        yield return new("title", Title);
        yield return new("file", File);
        yield return new("line", Line?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("col", Column?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The step's log as the runner reads it: plain lines, and workflow commands for groups, annotations, debug lines and
/// masks. One lock keeps a command from being split by a line written from another thread.
/// </summary>
internal sealed class WorkflowLog(TextWriter stdout)
{
    private readonly Lock _sync = new();
    private bool _inGroup;

    public void Line(string text) => Write(text);

    /// <summary>Starts a collapsible group; an open one is closed first, since the runner does not nest groups.</summary>
    public void Group(string title)
    {
        lock (_sync)
        {
            if (_inGroup)
            {
                stdout.WriteLine("::endgroup::");
            }

            stdout.WriteLine(WorkflowCommands.Format("group", [], title));
            stdout.Flush();
            _inGroup = true;
        }
    }

    public void EndGroup()
    {
        lock (_sync)
        {
            if (_inGroup)
            {
                stdout.WriteLine("::endgroup::");
                stdout.Flush();
                _inGroup = false;
            }
        }
    }

    public void Error(string message, AnnotationLocation? at = null) => Write(WorkflowCommands.Format("error", (at ?? new()).Properties(), message));

    public void Warning(string message, AnnotationLocation? at = null) => Write(WorkflowCommands.Format("warning", (at ?? new()).Properties(), message));

    public void Notice(string message, AnnotationLocation? at = null) => Write(WorkflowCommands.Format("notice", (at ?? new()).Properties(), message));

    /// <summary>Shown only when the run has step debug logging on (RUNNER_DEBUG=1).</summary>
    public void Debug(string message) => Write(WorkflowCommands.Format("debug", [], message));

    /// <summary>From now on the runner prints <paramref name="secret"/> as ***; call it before the value can appear anywhere.</summary>
    public void AddMask(string secret) => Write(WorkflowCommands.Format("add-mask", [], secret));

    private void Write(string line)
    {
        lock (_sync)
        {
            stdout.WriteLine(line);
            stdout.Flush();
        }
    }
}
