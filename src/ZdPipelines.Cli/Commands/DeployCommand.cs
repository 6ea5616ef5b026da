using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Cli.Platforms;

namespace ZdPipelines.Cli.Commands;

/// <summary>
/// `zdp deploy`: plan, then run the plan. A failed gate, a timeout, `zdp abort`, Ctrl+C or SIGTERM roll
/// the platform back to where it started; the exit code says which of these happened.
/// </summary>
internal static class DeployCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var command = new Command("deploy", "Deploy as the spec says; rolls back on a failed gate, a timeout, an abort or Ctrl+C.");
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
        if (await PlanCommand.PlanAsync(output, file.Spec, handle.Platform, cancellationToken) is not { } plan)
        {
            return ExitCodes.Refused;
        }

        PlanWriter.Brief(output, file.Spec, handle.Platform, plan);
        var engine = EngineSetup.Create(handle.Platform, EventRenderers.For(output, context.Time), context.Time);
        var result = await engine.DeployAsync(file.Spec, plan, file.Digest, cancellationToken);
        var exitCode = ExitCodes.For(result.Outcome);
        ResultWriter.Write(output, result, plan.Steps.Count, exitCode);
        return exitCode;
    }
}
