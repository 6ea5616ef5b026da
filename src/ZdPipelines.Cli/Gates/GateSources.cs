using ZdPipelines.Cli.Gates.Command;
using ZdPipelines.Cli.Gates.Http;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Cli.Gates;

/// <summary>The gate sources zdp offers on a platform: http and command everywhere, metrics where the platform records them.</summary>
internal static class GateSources
{
    public static IReadOnlyList<IGateSource> For(IPlatform platform, TimeProvider time)
    {
        var sources = new List<IGateSource> { new HttpGateSource(time), new CommandGateSource(time) };
        if (platform is IPlatformMetrics metrics)
        {
            sources.Add(new PlatformMetricsGateSource(metrics));
        }

        return sources;
    }
}
