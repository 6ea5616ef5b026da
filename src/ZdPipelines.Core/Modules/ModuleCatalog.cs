namespace ZdPipelines.Core.Modules;

/// <summary>
/// The platforms and gate sources one host offers, registered in one list. Its order is the order of platform
/// types and gate sources in messages and in the JSON Schema.
/// </summary>
public sealed class ModuleCatalog
{
    public ModuleCatalog(IReadOnlyList<IPlatformModule> platforms, IReadOnlyList<IGateSourceModule> gateSources)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(gateSources);
        Platforms = platforms;
        GenericGateSources = gateSources;
        AllGateSources = [.. gateSources, .. platforms.SelectMany(p => p.GateSources)];
        Duplicate(platforms.Select(p => p.Type), "platform type");
        Duplicate(AllGateSources.Select(g => g.Key), "gate source");
    }

    public IReadOnlyList<IPlatformModule> Platforms { get; }

    /// <summary>Gate sources every platform can serve (http, command) or that depend on a capability (metrics).</summary>
    public IReadOnlyList<IGateSourceModule> GenericGateSources { get; }

    /// <summary>The generic gate sources, then each platform's own, in registration order.</summary>
    public IReadOnlyList<IGateSourceModule> AllGateSources { get; }

    public IReadOnlyList<string> PlatformTypes => [.. Platforms.Select(p => p.Type)];

    public IPlatformModule? Platform(string type) => Platforms.FirstOrDefault(p => p.Type == type);

    public IGateSourceModule? GateSource(string key) => AllGateSources.FirstOrDefault(g => g.Key == key);

    /// <summary>The platform module that owns a gate source, or null for a generic one.</summary>
    public IPlatformModule? OwnerOf(IGateSourceModule source) => Platforms.FirstOrDefault(p => p.GateSources.Contains(source));

    private static void Duplicate(IEnumerable<string> names, string what)
    {
        var twice = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"the {what} '{twice.Key}' is registered twice.");
        }
    }
}
