using System.Text.Json;
using ZdPipelines.Core.Secrets;

namespace ZdPipelines.Cli.Output;

/// <summary>
/// Where a command writes, in which mode. Results go to stdout; problems and notes go to stderr so that
/// `--output json` keeps stdout parseable. Writes are serialised because hook output arrives on
/// process threads while the engine reports progress.
/// </summary>
internal sealed class CommandOutput
{
    private readonly bool _color;

    private readonly SecretMasker _secrets;

    /// <param name="secrets">Every line written passes through it: no credential zdp knows, and no URL password, reaches the terminal or a CI log.</param>
    public CommandOutput(TextWriter stdout, TextWriter stderr, OutputMode mode, bool color, SecretMasker? secrets = null)
    {
        Out = stdout;
        Error = stderr;
        Mode = mode;
        _color = color && mode == OutputMode.Human;
        _secrets = secrets ?? new SecretMasker();
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
            Out.WriteLine(_secrets.Mask(text));
            Out.Flush();
        }
    }

    /// <summary>Writes text as it is, masked, without a newline (the live status line redraws itself).</summary>
    public void Raw(TextWriter writer, string text) => writer.Write(_secrets.Mask(text));

    /// <summary>A problem or note for the user, on stderr in every mode.</summary>
    public void Problem(string text)
    {
        lock (Sync)
        {
            Error.WriteLine(_secrets.Mask(text));
            Error.Flush();
        }
    }

    public void Json<T>(T value, JsonSerializerOptions options)
    {
        lock (Sync)
        {
            Out.WriteLine(_secrets.Mask(JsonSerializer.Serialize(value, options)));
            Out.Flush();
        }
    }

    /// <summary>Wraps text in an ANSI colour when colours are on (human mode on a terminal, NO_COLOR unset).</summary>
    public string Paint(string text, string ansi) => _color ? ansi + text + Ansi.Reset : text;
}
