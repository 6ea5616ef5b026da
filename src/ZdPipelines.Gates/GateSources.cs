using ZdPipelines.Gates.Command;
using ZdPipelines.Gates.Http;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Gates;

/// <summary>The gate sources zdp offers on a platform: http and command everywhere, metrics where the platform records them, and the platform's own (CloudWatch on AWS).</summary>
public static class GateSources
{
    public static IReadOnlyList<IGateSource> For(IPlatform platform, TimeProvider time)
    {
        var sources = new List<IGateSource> { new HttpGateSource(time), new CommandGateSource(time) };
        if (platform is IPlatformMetrics metrics)
        {
            sources.Add(new PlatformMetricsGateSource(metrics));
        }

        if (platform is IPlatformGateSources own)
        {
            sources.AddRange(own.GateSources(time));
        }

        return sources;
    }
}
