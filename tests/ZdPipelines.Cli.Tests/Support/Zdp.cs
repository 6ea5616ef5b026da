using ZdPipelines.Cli;

namespace ZdPipelines.Cli.Tests.Support;

/// <summary>Runs the real zdp entry point in-process, capturing what it writes.</summary>
internal static class Zdp
{
    public static async Task<ZdpOutput> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public static async Task<ZdpOutput> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await ZdpApp.RunAsync(args, stdout, stderr, cancellationToken);
        return new ZdpOutput(exitCode, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record ZdpOutput(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
