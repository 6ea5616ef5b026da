using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Gates.Command;
using ZdPipelines.Gates.Http;
using ZdPipelines.Platforms.Aws.Spec;
using ZdPipelines.Platforms.Azure.Spec;
using ZdPipelines.Platforms.Local;
using ZdPipelines.Platforms.Simulated;

namespace ZdPipelines.Cli;

/// <summary>
/// The platforms and gate sources zdp offers: the one place that names them. Adding a platform is its project
/// plus one line here (see README, "Adding a platform").
/// </summary>
public static class ZdpModules
{
    public static ModuleCatalog All { get; } = new(
        platforms:
        [
            new LocalPlatformModule(),
            new SimulatedPlatformModule(),
            new AwsAlbPlatformModule(),
            new AzureAppServicePlatformModule(),
        ],
        gateSources:
        [
            MetricsGateSourceModule.Instance,
            new HttpGateSourceModule(),
            new CommandGateSourceModule(),
        ]);
}
