namespace ZdPipelines.Cli.Output;

/// <summary>The few ANSI escape sequences the human output uses; no other console library is needed.</summary>
internal static class Ansi
{
    public const string Reset = "\u001b[0m";
    public const string Bold = "\u001b[1m";
    public const string Dim = "\u001b[2m";
    public const string Red = "\u001b[31m";
    public const string Green = "\u001b[32m";
    public const string Yellow = "\u001b[33m";
    public const string Cyan = "\u001b[36m";

    /// <summary>Carriage return, then erase the whole line: where the live status line is redrawn.</summary>
    public const string ClearLine = "\r\u001b[2K";
}
