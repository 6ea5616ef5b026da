using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Cli.Platforms;

namespace ZdPipelines.Cli.Commands;

/// <summary>`zdp abort`: asks the running deployment to roll back; the zdp that runs it restores the starting state.</summary>
internal static class AbortCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var command = new Command("abort", "Ask a running deployment to roll back to where it started.");
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
        if (await engine.RequestAbortAsync(cancellationToken) is not { } journal)
        {
            output.Problem($"there is no running deployment of {file.Spec.Name} on {handle.Platform.Target}: nothing to abort. Fix: check `zdp status`; to undo a finished blue-green deployment use `zdp rollback`.");
            return ExitCodes.InvalidInput;
        }

        if (output.IsJson)
        {
            output.Json(new { @event = "abortRequested", deploymentId = journal.DeploymentId, status = journal.Status }, CliJson.Lines);
        }
        else
        {
            output.Line($"asked deployment {journal.DeploymentId} to abort: the zdp running it rolls back at its next check (every few seconds). " +
                "If that zdp is no longer running, run `zdp rollback` to restore the starting state.");
        }

        return ExitCodes.Success;
    }
}
