using System.Text.Json;

namespace ZdPipelines.Cli.Output;

/// <summary>
/// Where a command writes, in which mode. Results go to stdout; problems and notes go to stderr so that
/// `--output json` keeps stdout parseable. Writes are serialised because hook output arrives on
/// process threads while the engine reports progress.
/// </summary>
internal sealed class CommandOutput
{
    private readonly bool _color;

    public CommandOutput(TextWriter stdout, TextWriter stderr, OutputMode mode, bool color)
    {
        Out = stdout;
        Error = stderr;
        Mode = mode;
        _color = color && mode == OutputMode.Human;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public OutputMode Mode { get; }

    public bool IsJson => Mode == OutputMode.Json;

    /// <summary>Held while writing so that lines from different threads never interleave.</summary>
    public object Sync { get; } = new();

    public void Line(string text = "")
    {
        lock (Sync)
        {
            Out.WriteLine(text);
            Out.Flush();
        }
    }

    /// <summary>A problem or note for the user, on stderr in every mode.</summary>
    public void Problem(string text)
    {
        lock (Sync)
        {
            Error.WriteLine(text);
            Error.Flush();
        }
    }

    public void Json<T>(T value, JsonSerializerOptions options)
    {
        lock (Sync)
        {
            Out.WriteLine(JsonSerializer.Serialize(value, options));
            Out.Flush();
        }
    }

    /// <summary>Wraps text in an ANSI colour when colours are on (human mode on a terminal, NO_COLOR unset).</summary>
    public string Paint(string text, string ansi) => _color ? ansi + text + Ansi.Reset : text;
}
