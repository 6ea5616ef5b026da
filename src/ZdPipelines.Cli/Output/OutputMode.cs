namespace ZdPipelines.Cli.Output;

/// <summary>The three audiences of zdp's output: a person at a terminal, a CI log, and a program.</summary>
internal enum OutputMode
{
    /// <summary>Live progress with in-place updates and colours; the default on a terminal.</summary>
    Human,

    /// <summary>One timestamped line per event, nothing rewritten; the default when stdout is redirected.</summary>
    Plain,

    /// <summary>One JSON object per line on stdout.</summary>
    Json,
}
