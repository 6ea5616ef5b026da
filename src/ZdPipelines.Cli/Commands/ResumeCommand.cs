using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Cli.Platforms;
using ZdPipelines.Core.Engine;

namespace ZdPipelines.Cli.Commands;

/// <summary>`zdp resume`: finishes a deployment whose zdp died, from the step its journal reached.</summary>
internal static class ResumeCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var command = new Command("resume", "Continue an unfinished deployment (its zdp died) from the step it reached, or finish its rollback.");
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

        await using var handle = await PlatformFactory.OpenAsync(file.Spec, context.Time, output, cancellationToken);
        var engine = EngineSetup.Create(handle.Platform, EventRenderers.For(output, context.Time), context.Time);
        var journal = await engine.ReadJournalAsync(cancellationToken);
        if (journal is not { Status: DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.RollingBack })
        {
            output.Problem(journal is null
                ? $"there is no deployment of {file.Spec.Name} on {handle.Platform.Target} to resume. Fix: start one with `zdp deploy`."
                : $"deployment {journal.DeploymentId} already ended ({TextFormat.Words(journal.Status)}); there is nothing to resume. Fix: `zdp deploy` starts a new one.");
            return ExitCodes.InvalidInput;
        }

        var result = await engine.ResumeAsync(file.Spec, cancellationToken);
        var exitCode = ExitCodes.For(result.Outcome);
        ResultWriter.Write(output, result, journal.Plan.Steps.Count, exitCode);
        return exitCode;
    }
}
