using System.CommandLine;
using ZdPipelines.Cli.Commands;
using ZdPipelines.Cli.Output;
using ZdPipelines.Core.Secrets;
using ZdPipelines.Hosting;
using ZdPipelines.Hosting.Session;

namespace ZdPipelines.Cli;

/// <summary>
/// The zdp command line. <see cref="RunAsync"/> is the whole program minus the process: Program.cs
/// passes the console and the signal token, tests pass string writers and their own token.
/// </summary>
public static class ZdpApp
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, cancellationToken, CancellationToken.None);

    /// <param name="interrupt">The second signal: a rollback finishes moving traffic back, then stops (<see cref="HostOptions.Interrupt"/>).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, CancellationToken interrupt)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var environment = new CliEnvironment(stdout, stderr, IsTerminal(stdout), TimeProvider.System) { Interrupt = interrupt };
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

    /// <summary>
    /// What `zdp … --output plain` prints for a session (the plan, status, promote and abort documents, problems on
    /// <paramref name="stderr"/>), as an observer a CI host adds to its own, so its log reads like the CLI's.
    /// </summary>
    public static ISessionObserver PlainTextObserver(TextWriter stdout, TextWriter stderr, SecretMasker secrets, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return new CliObserver(new CommandOutput(stdout, stderr, OutputMode.Plain, color: false, secrets), time);
    }

    /// <summary>What `zdp … --output json` prints for a session (one JSON object per line), as an observer for a CI host.</summary>
    public static ISessionObserver JsonLinesObserver(TextWriter stdout, TextWriter stderr, SecretMasker secrets, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return new CliObserver(new CommandOutput(stdout, stderr, OutputMode.Json, color: false, secrets), time);
    }

    internal static RootCommand CreateRootCommand(CliEnvironment environment)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("zdp: zero-downtime deployments (blue-green, canary, rolling) with gates and automatic rollback.")
        {
            options.File,
            options.Output,
        };
        // The session commands run the hosting layer's DeploymentSession; demo and schema are the CLI's own.
        root.Subcommands.Add(SessionCommands.Deploy(options, environment));
        root.Subcommands.Add(SessionCommands.Plan(options, environment));
        root.Subcommands.Add(SessionCommands.Status(options, environment));
        root.Subcommands.Add(SessionCommands.Promote(options, environment));
        root.Subcommands.Add(SessionCommands.Abort(options, environment));
        root.Subcommands.Add(SessionCommands.Resume(options, environment));
        root.Subcommands.Add(SessionCommands.Rollback(options, environment));
        root.Subcommands.Add(DemoCommand.Create(options, environment));
        root.Subcommands.Add(SchemaCommand.Create());
        return root;
    }

    private static bool IsTerminal(TextWriter stdout) => ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
}
