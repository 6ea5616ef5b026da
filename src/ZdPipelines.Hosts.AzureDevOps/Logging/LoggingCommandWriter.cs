using System.Globalization;

namespace ZdPipelines.Hosts.AzureDevOps.Logging;

/// <summary>An issue's severity in <c>task.logissue</c>.</summary>
internal enum IssueType
{
    Error,
    Warning,
}

/// <summary>A task's result in <c>task.complete</c>; the agent keeps the worst of all it was sent (TaskResultUtil.MergeTaskResults).</summary>
internal enum TaskResult
{
    Succeeded,
    SucceededWithIssues,
    Failed,
}

/// <summary>Where an issue is: a file (absolute, or relative to the repository root) and optionally a line and column, 1-based.</summary>
internal sealed record SourceLocation(string Path, int? Line = null, int? Column = null);

/// <summary>
/// The logging commands the task writes (azure-devops-docs pipelines/scripts/logging-commands.md), one line each,
/// flushed at once so they interleave correctly with what zdp prints around them.
/// </summary>
internal sealed class LoggingCommandWriter(TextWriter output)
{
    private readonly Lock _lock = new();

    /// <summary>A plain line of the log, kept in order with the commands around it.</summary>
    public void Line(string text) => Write(text);

    public void BeginGroup(string title) => Write($"##[group]{LoggingCommandFormat.OneLine(title)}");

    public void EndGroup() => Write("##[endgroup]");

    public void LogIssue(IssueType type, string message, SourceLocation? location = null, string? code = null) =>
        Write(LoggingCommandFormat.Format(
            "task.logissue",
            [
                new("type", type == IssueType.Error ? "error" : "warning"),
                new("sourcepath", location?.Path),
                new("linenumber", location?.Line?.ToString(CultureInfo.InvariantCulture)),
                new("columnnumber", location?.Column?.ToString(CultureInfo.InvariantCulture)),
                new("code", code),
            ],
            message));

    /// <summary>Asks the agent to mask <paramref name="value"/> in every later line of the log. Empty values are skipped.</summary>
    public void SetSecret(string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Write(LoggingCommandFormat.Format("task.setsecret", [], value));
        }
    }

    /// <summary>An output variable, read by later steps as <c>$(stepName.name)</c> and later jobs through dependencies.</summary>
    public void SetOutputVariable(string name, string value, bool isSecret = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Write(LoggingCommandFormat.Format(
            "task.setvariable",
            [new("variable", name), new("isoutput", "true"), new("issecret", isSecret ? "true" : null)],
            value));
    }

    /// <summary>The task's progress, 0 to 100 (the agent clamps), with what it is doing now.</summary>
    public void SetProgress(int percent, string? operation = null) =>
        Write(LoggingCommandFormat.Format(
            "task.setprogress",
            [new("value", Math.Clamp(percent, 0, 100).ToString(CultureInfo.InvariantCulture))],
            operation));

    /// <summary>Attaches a Markdown file to the run's Extensions tab. The agent requires an existing file, by absolute path.</summary>
    public void UploadSummary(string markdownPath)
    {
        if (!Path.IsPathFullyQualified(markdownPath))
        {
            throw new ArgumentException($"The summary path must be absolute, not '{markdownPath}': the agent resolves it from its own directory.", nameof(markdownPath));
        }

        Write(LoggingCommandFormat.Format("task.uploadsummary", [], markdownPath));
    }

    public void Complete(TaskResult result, string message) =>
        Write(LoggingCommandFormat.Format("task.complete", [new("result", result.ToString())], message));

    private void Write(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
