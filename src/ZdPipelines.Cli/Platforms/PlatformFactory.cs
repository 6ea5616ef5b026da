using ZdPipelines.Cli.Output;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Platforms.Simulated;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Local.Platform;

namespace ZdPipelines.Cli.Platforms;

/// <summary>
/// Builds the platform a spec names. The only place in zdp that knows platform types: commands work
/// with <see cref="IPlatform"/> and its capability interfaces, so adding a platform touches this file only.
/// </summary>
internal static class PlatformFactory
{
    public const string SimulatedNote =
        "note: platform 'simulated' keeps its state in the memory of this zdp process only: its deployment, lease and journal " +
        "vanish when the command ends, so `zdp status`, `promote`, `abort`, `resume` and `rollback` run as separate commands find nothing.";

    public static async Task<PlatformHandle> OpenAsync(DeploymentSpec spec, TimeProvider time, CommandOutput output, CancellationToken cancellationToken) =>
        await OpenAsync(spec, time, output, PlatformUse.Change, cancellationToken);

    public static async Task<PlatformHandle> OpenAsync(DeploymentSpec spec, TimeProvider time, CommandOutput output, PlatformUse use, CancellationToken cancellationToken)
    {
        switch (spec.Platform.Type)
        {
            case "simulated":
                output.Problem(SimulatedNote);
                return new PlatformHandle(new SimulatedPlatform(spec.Platform.Simulated ?? new SimulatedPlatformSpec(), time));

            case "local":
                var local = spec.Platform.Local ?? throw new InvalidOperationException("platform.type is local but the platform.local block is missing");
                return new PlatformHandle(await OpenLocalAsync(local, time, use, cancellationToken));

            case "awsAlb":
                return new PlatformHandle(await OpenAwsAlbAsync(spec, time, use, cancellationToken));

            default:
                // SpecReader accepts only the types above; this is reached only by a spec built in code.
                throw new NotSupportedException($"platform type '{spec.Platform.Type}' is not known to this zdp. Fix: use platform.type local, simulated or awsAlb.");
        }
    }

    /// <summary>
    /// Commands that change or plan check the listener, rule and target groups first, with reads only, so a wrong ARN,
    /// a missing target group or missing permissions is one message before anything changes.
    /// </summary>
    private static async Task<IPlatform> OpenAwsAlbAsync(DeploymentSpec spec, TimeProvider time, PlatformUse use, CancellationToken cancellationToken)
    {
        var platform = await AlbPlatform.ConnectAsync(spec, time, null, cancellationToken);
        try
        {
            if (use != PlatformUse.Journal)
            {
                await platform.VerifyAsync(cancellationToken);
            }

            return platform;
        }
        catch
        {
            platform.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The local proxy lives inside the zdp process that changes traffic. A command that only reads or
    /// signals must not start a second proxy on the same port: it works on the state directory, and
    /// `plan` probes the upstreams through a private proxy on a free port.
    /// </summary>
    private static async Task<IPlatform> OpenLocalAsync(LocalPlatformSpec local, TimeProvider time, PlatformUse use, CancellationToken cancellationToken)
    {
        switch (use)
        {
            case PlatformUse.Journal:
                return new LocalJournalView(local, time);
            case PlatformUse.Inspect:
                var probe = await LocalPlatform.StartAsync(local with { Listen = "127.0.0.1:0" }, time, null, cancellationToken);
                probe.ReportedTarget = $"http://{local.Listen}";
                // Give the health checks time to reach their threshold, so the plan sees real health.
                await Task.Delay(local.HealthCheck.Interval * (local.HealthCheck.HealthyThreshold + 1), time, cancellationToken);
                return probe;
            default:
                return await LocalPlatform.StartAsync(local, time, null, cancellationToken);
        }
    }
}

/// <summary>What a command does with the platform, so the factory opens no more than that needs.</summary>
internal enum PlatformUse
{
    /// <summary>deploy, resume, rollback: the platform whose traffic changes.</summary>
    Change,

    /// <summary>plan: observe without taking anything over.</summary>
    Inspect,

    /// <summary>status, promote, abort: the lease and journal only.</summary>
    Journal,
}
