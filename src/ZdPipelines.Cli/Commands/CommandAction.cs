using System.CommandLine;
using ZdPipelines.Hosting;

namespace ZdPipelines.Cli.Commands;

/// <summary>
/// Attaches a body to a command that does not run a session (`zdp demo`) and is the edge where its exceptions become
/// one message and an exit code: a platform that throws must not end zdp with a stack trace and an exit code that
/// means "rolled back". Session commands get the same from <see cref="Hosting.Session.DeploymentSession"/>.
/// </summary>
internal static class CommandAction
{
    public static void Set(Command command, GlobalOptions options, CliEnvironment environment, Func<CommandContext, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = environment.OutputFor(parse, options);
            var context = new CommandContext(parse, output, parse.GetValue(options.File) ?? GlobalOptions.DefaultSpecFile, environment.Time);
            try
            {
                return await body(context, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Deploy, resume and rollback handle cancellation inside the engine (as a rollback);
                // reaching here means the command was stopped before the engine changed anything.
                output.Problem("cancelled (Ctrl+C / SIGTERM) before any change was made.");
                return ExitCodes.Cancelled;
            }
            catch (Core.Platforms.PlatformException e)
            {
                // The platform already said what failed, on what, and what to do.
                output.Problem($"zdp: {e.Message}");
                return ExitCodes.PlatformError;
            }
            catch (NotSupportedException e)
            {
                output.Problem($"zdp: {e.Message}");
                return ExitCodes.PlatformError;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                output.Problem($"zdp: the platform failed: {e.Message}. Fix: check that the platform is reachable, then run `zdp status` to see what state it is in.");
                return ExitCodes.PlatformError;
            }
        });
    }
}
