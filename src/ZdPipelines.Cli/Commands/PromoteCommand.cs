using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Cli.Platforms;

namespace ZdPipelines.Cli.Commands;

/// <summary>`zdp promote`: ends the pause a running deployment waits at; the zdp that runs it does the rest.</summary>
internal static class PromoteCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var command = new Command("promote", "Let a running deployment continue past its current pause (pause: {} waits for this).");
        CommandAction.Set(command, options, environment, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var output = context.Output;
        if (await SpecFile.ReadAsync(context.SpecPath, output, cancellationToken) is not { } file)
        {
            return ExitCodes.InvalidInput;
        }

        await using var handle = await PlatformFactory.OpenAsync(file.Spec, context.Time, output, PlatformUse.Journal, cancellationToken);
        var engine = EngineSetup.Create(handle.Platform, null, context.Time);
        if (await engine.RequestPromoteAsync(cancellationToken) is not { } journal)
        {
            output.Problem($"there is no running deployment of {file.Spec.Name} on {handle.Platform.Target}: nothing to promote. Fix: check `zdp status`; start one with `zdp deploy`.");
            return ExitCodes.InvalidInput;
        }

        if (output.IsJson)
        {
            output.Json(new { @event = "promoteRequested", deploymentId = journal.DeploymentId, status = journal.Status }, CliJson.Lines);
        }
        else
        {
            output.Line(journal.Status == Core.Engine.DeploymentStatus.Paused
                ? $"asked deployment {journal.DeploymentId} to promote: the zdp running it ends its pause at its next check (every few seconds)."
                : $"asked deployment {journal.DeploymentId} to promote: it is not paused now ({TextFormat.Words(journal.Status)}), so its next pause ends at once.");
        }

        return ExitCodes.Success;
    }
}
