using ZdPipelines.Core.Spec;

namespace ZdPipelines.Gates.Command;

/// <summary>A gate that runs a command: its exit code, or the number it prints, is the value.</summary>
public sealed record CommandGateOptions : GateSourceOptions
{
    public const string Key = "command";

    /// <summary>Shell command line, run with /bin/sh -c (cmd /c on Windows).</summary>
    public required string Run { get; init; }
    public TimeSpan Timeout { get; init; } = CommandGateDefaults.Timeout;
    /// <summary>exitCode: the exit code is the value; stdout: the trimmed stdout parsed as a number is the value.</summary>
    public CommandMeasure Measure { get; init; } = CommandMeasure.ExitCode;

    public override string Kind => Key;
}

public enum CommandMeasure
{
    ExitCode,
    Stdout,
}

public static class CommandGateDefaults
{
    /// <summary>A check script that needs more than a minute per measurement is a test suite; give it a hook instead.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
}
