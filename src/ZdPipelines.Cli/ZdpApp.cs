using System.CommandLine;
using ZdPipelines.Cli.Commands;

namespace ZdPipelines.Cli;

/// <summary>
/// The zdp command line. <see cref="RunAsync"/> is the whole program minus the process: Program.cs
/// passes the console and the signal token, tests pass string writers and their own token.
/// </summary>
public static class ZdpApp
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var environment = new CliEnvironment(stdout, stderr, IsTerminal(stdout), TimeProvider.System);
        var parse = CreateRootCommand(environment).Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // Program.cs owns SIGINT/SIGTERM: System.CommandLine's own handling would end the process
            // after a 2 s grace, in the middle of the rollback the signal asked for.
            ProcessTerminationTimeout = null,
            // CommandAction turns exceptions into messages; anything past it is a bug, reported below.
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            var exitCode = await parse.InvokeAsync(configuration, cancellationToken);
            // System.CommandLine exits 1 on a usage error, and 1 means "rolled back" to zdp's callers.
            return parse.Errors.Count > 0 ? ExitCodes.InvalidInput : exitCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await stderr.WriteLineAsync($"zdp: internal error: {e}");
            return ExitCodes.PlatformError;
        }
    }

    internal static RootCommand CreateRootCommand(CliEnvironment environment)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("zdp: zero-downtime deployments (blue-green, canary, rolling) with gates and automatic rollback.")
        {
            options.File,
            options.Output,
        };
        // One file per command in Commands/.
        root.Subcommands.Add(DeployCommand.Create(options, environment));
        root.Subcommands.Add(PlanCommand.Create(options, environment));
        root.Subcommands.Add(StatusCommand.Create(options, environment));
        root.Subcommands.Add(SignalCommands.Promote(options, environment));
        root.Subcommands.Add(SignalCommands.Abort(options, environment));
        root.Subcommands.Add(ResumeCommand.Create(options, environment));
        root.Subcommands.Add(RollbackCommand.Create(options, environment));
        root.Subcommands.Add(DemoCommand.Create(options, environment));
        return root;
    }

    private static bool IsTerminal(TextWriter stdout) => ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
}
