using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Gates.Command;
using ZdPipelines.Gates.Http;
using ZdPipelines.Platforms.Local;
using ZdPipelines.Platforms.Simulated;

namespace ZdPipelines.Core.Tests;

/// <summary>The modules the core's reader and engine tests run with: the platforms without a cloud, and the generic gate sources.</summary>
internal static class TestModules
{
    public static ModuleCatalog Catalog { get; } = new(
        [new LocalPlatformModule(), new SimulatedPlatformModule()],
        [MetricsGateSourceModule.Instance, new HttpGateSourceModule(), new CommandGateSourceModule()]);

    /// <summary>Every section of zdp.yml these modules read, with its keys: the core's and each module's.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } = Merge(
        CoreKeys.Sections(Catalog), LocalPlatformModule.Sections, SimulatedPlatformModule.Sections, HttpGateSourceModule.Sections, CommandGateSourceModule.Sections);

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Enums { get; } = Merge(
        CoreKeys.Enums(Catalog), HttpGateSourceModule.Enums, CommandGateSourceModule.Enums);

    private static Dictionary<string, IReadOnlyList<string>> Merge(params IReadOnlyDictionary<string, IReadOnlyList<string>>[] tables) =>
        tables.SelectMany(t => t).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
