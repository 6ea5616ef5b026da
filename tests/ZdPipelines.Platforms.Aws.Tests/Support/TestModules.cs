using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Gates.Command;
using ZdPipelines.Gates.Http;
using ZdPipelines.Platforms.Aws.Spec;
using ZdPipelines.Platforms.Local;

namespace ZdPipelines.Core.Tests;

/// <summary>The modules the AWS tests read specs with: the ALB platform, the local one (the samples use it), and the generic gate sources.</summary>
internal static class TestModules
{
    public static ModuleCatalog Catalog { get; } = new(
        [new LocalPlatformModule(), new AwsAlbPlatformModule()],
        [MetricsGateSourceModule.Instance, new HttpGateSourceModule(), new CommandGateSourceModule()]);

    /// <summary>The gate sources the modules create for an opened platform, as a host passes them to the engine.</summary>
    public static IEnumerable<IGateSource> GateSources(IPlatform platform, TimeProvider time) =>
        Catalog.AllGateSources.Select(m => m.CreateSource(platform, time)).OfType<IGateSource>();
}
