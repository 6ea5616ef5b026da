using ZdPipelines.Cli.Output;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Platforms.Simulated;
using ZdPipelines.Core.Spec;

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

    public static async Task<PlatformHandle> OpenAsync(DeploymentSpec spec, TimeProvider time, CommandOutput output, CancellationToken cancellationToken)
    {
        switch (spec.Platform.Type)
        {
            case "simulated":
                output.Problem(SimulatedNote);
                return new PlatformHandle(new SimulatedPlatform(spec.Platform.Simulated ?? new SimulatedPlatformSpec(), time));

            case "local":
                var local = spec.Platform.Local ?? throw new InvalidOperationException("platform.type is local but the platform.local block is missing");
                return new PlatformHandle(await OpenLocalAsync(spec, local, time, output, cancellationToken));

            default:
                // SpecReader accepts only the types above; this is reached only by a spec built in code.
                throw new NotSupportedException($"platform type '{spec.Platform.Type}' is not known to this zdp. Fix: use platform.type local or simulated.");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // LOCAL PLATFORM: the one method the commit that wires ZdPipelines.Platforms.Local fills in.
    // It must return the started platform (proxy listening, state directory open); PlatformHandle
    // disposes it when the command ends if it implements IAsyncDisposable or IDisposable.
    // ---------------------------------------------------------------------------------------------
    private static Task<IPlatform> OpenLocalAsync(DeploymentSpec spec, LocalPlatformSpec local, TimeProvider time, CommandOutput output, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the local platform is wired by zdp demo/deploy in a later commit");
}
