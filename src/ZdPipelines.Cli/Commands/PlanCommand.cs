using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Cli.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Cli.Commands;

/// <summary>`zdp plan`: what a deployment would do on the platform as it is now, without changing anything.</summary>
internal static class PlanCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var command = new Command("plan", "Show the steps, rollback path and minimum duration of a deployment; changes nothing.");
        CommandAction.Set(command, options, environment, RunAsync);
        return command;
    }

    /// <summary>
    /// Observes the platform and plans. On refusal prints the problems and returns null; the caller exits
    /// with <see cref="ExitCodes.Refused"/>.
    /// </summary>
    internal static async Task<DeploymentPlan?> PlanAsync(CommandOutput output, DeploymentSpec spec, IPlatform platform, CancellationToken cancellationToken)
    {
        var snapshot = await platform.ObserveAsync(cancellationToken);
        var result = DeploymentPlanner.Plan(spec, platform.Capabilities(), snapshot);
        if (result.Plan is null)
        {
            PlanWriter.Refusal(output, spec.Name, result.Problems);
        }

        return result.Plan;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (await SpecFile.ReadAsync(context.SpecPath, context.Output, cancellationToken) is not { } file)
        {
            return ExitCodes.InvalidInput;
        }

        await using var handle = await PlatformFactory.OpenAsync(file.Spec, context.Time, context.Output, PlatformUse.Inspect, cancellationToken);
        if (await PlanAsync(context.Output, file.Spec, handle.Platform, cancellationToken) is not { } plan)
        {
            return ExitCodes.Refused;
        }

        PlanWriter.Full(context.Output, file.Spec, handle.Platform, plan);
        return ExitCodes.Success;
    }
}
