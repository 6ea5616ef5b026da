using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Cli.Platforms;
using ZdPipelines.Core.Engine;

namespace ZdPipelines.Cli.Commands;

/// <summary>
/// `zdp rollback`: restores the journalled starting state, for an unfinished deployment or a finished
/// blue-green one whose previous side is still kept. A completed rollback is what was asked, so it exits 0.
/// </summary>
internal static class RollbackCommand
{
    private const string DefaultReason = "requested with `zdp rollback`";

    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var reason = new Option<string>("--reason")
        {
            Description = "Why, recorded in the journal and shown by `zdp status`.",
            DefaultValueFactory = _ => DefaultReason,
        };
        var command = new Command("rollback", "Restore the state the last deployment started from (an unfinished one, or a blue-green one while its previous side is kept).")
        {
            reason,
        };
        CommandAction.Set(command, options, environment, (context, cancellationToken) =>
            RunAsync(context, context.Parse.GetValue(reason) ?? DefaultReason, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string reason, CancellationToken cancellationToken)
    {
        var output = context.Output;
        if (await SpecFile.ReadAsync(context.SpecPath, output, cancellationToken) is not { } file)
        {
            return ExitCodes.InvalidInput;
        }

        await using var handle = await PlatformFactory.OpenAsync(file.Spec, context.Time, output, cancellationToken);
        var engine = EngineSetup.Create(handle.Platform, EventRenderers.For(output, context.Time), context.Time);
        var journal = await engine.ReadJournalAsync(cancellationToken);
        if (journal is null)
        {
            output.Problem($"there is no journalled deployment of {file.Spec.Name} on {handle.Platform.Target} to roll back. Fix: check `zdp status`.");
            return ExitCodes.InvalidInput;
        }

        if (journal.Status == DeploymentStatus.RolledBack)
        {
            output.Line($"deployment {journal.DeploymentId} is already rolled back; nothing to do.");
            return ExitCodes.Success;
        }

        var result = await engine.RollbackAsync(file.Spec, reason, cancellationToken);
        var exitCode = result.Outcome == DeploymentOutcome.RolledBack ? ExitCodes.Success : ExitCodes.For(result.Outcome);
        ResultWriter.Write(output, result, journal.Plan.Steps.Count, exitCode);
        return exitCode;
    }
}
