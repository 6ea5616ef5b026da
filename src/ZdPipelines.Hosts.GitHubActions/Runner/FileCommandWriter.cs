using System.Text;

namespace ZdPipelines.Hosts.GitHubActions.Runner;

/// <summary>
/// Appends <c>name&lt;&lt;delimiter</c> / value / <c>delimiter</c> entries to a file command file (GITHUB_OUTPUT,
/// GITHUB_ENV): the heredoc form carries any value, newlines included. The runner (Runner.Worker/FileCommandManager.cs)
/// needs the closing delimiter on a line of its own ending with a newline; the toolkit (core/src/file-command.ts) uses
/// <c>ghadelimiter_&lt;uuid&gt;</c> and refuses a name or value that contains it, and so does this.
/// </summary>
internal sealed class FileCommandWriter(string path, Func<Guid>? newGuid = null)
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Func<Guid> _newGuid = newGuid ?? Guid.NewGuid;

    public string Path => path;

    public void Append(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        var delimiter = $"ghadelimiter_{_newGuid():D}";
        if (name.Contains(delimiter, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The name of output '{name}' contains the delimiter {delimiter}.", nameof(name));
        }

        if (value.Contains(delimiter, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The value of output '{name}' contains the delimiter {delimiter}.", nameof(value));
        }

        // "\n", not Environment.NewLine: the runner splits on either, and container actions only run on Linux.
        File.AppendAllText(path, $"{name}<<{delimiter}\n{value}\n{delimiter}\n", Utf8NoBom);
    }
}
