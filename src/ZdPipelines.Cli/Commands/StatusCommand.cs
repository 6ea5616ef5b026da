using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Cli.Platforms;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Cli.Commands;

/// <summary>`zdp status`: the journalled deployment, who holds the lease, and the platform as observed now.</summary>
internal static class StatusCommand
{
    /// <summary>The deployment id of the lease probe; no real deployment id has this shape (they start with the service name).</summary>
    private const string ProbeId = "zdp-status-probe";

    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var command = new Command("status", "Show the current or last deployment (step, status, reason, lease) and the platform's traffic and targets.");
        CommandAction.Set(command, options, environment, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (await SpecFile.ReadAsync(context.SpecPath, context.Output, cancellationToken) is not { } file)
        {
            return ExitCodes.InvalidInput;
        }

        await using var handle = await PlatformFactory.OpenAsync(file.Spec, context.Time, context.Output, PlatformUse.Journal, cancellationToken);
        var engine = EngineSetup.Create(handle.Platform, null, context.Time);
        var journal = await engine.ReadJournalAsync(cancellationToken);
        var lease = journal is { Status: DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.RollingBack }
            ? await LeaseHolderAsync(handle.Platform, context.Time, cancellationToken)
            : null;
        var observed = await handle.Platform.ObserveAsync(cancellationToken);
        StatusWriter.Write(context.Output, file.Spec.Name, handle.Platform, journal, lease, observed);
        return ExitCodes.Success;
    }

    /// <summary>
    /// IDeploymentStore has no way to read the lease, only to take it. A lease that is already expired when
    /// offered is one nobody can be kept out by, so asking for it is harmless: a live holder is returned,
    /// otherwise the expired probe is released again at once.
    /// </summary>
    private static async Task<Lease?> LeaseHolderAsync(IPlatform platform, TimeProvider time, CancellationToken cancellationToken)
    {
        if (platform is not IDeploymentStore store)
        {
            return null;
        }

        var result = await store.TryAcquireLeaseAsync(new Lease(ProbeId, EngineSetup.Owner, time.GetUtcNow()), cancellationToken);
        if (!result.Acquired)
        {
            return result.Holder;
        }

        await store.ReleaseLeaseAsync(ProbeId, cancellationToken);
        return null;
    }
}
