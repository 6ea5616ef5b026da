using ZdPipelines.Core.Modules;

namespace ZdPipelines.Core.Spec.Reading;

/// <summary>
/// The keys of the sections of zdp.yml that the core owns. The platform block and gate source blocks belong to their
/// modules; the keys that name them here (platform types, gate sources) come from the <see cref="ModuleCatalog"/>.
/// A test holds schema/zdp.schema.json to these, so the editor schema cannot drift from what the reader accepts.
/// </summary>
internal static class CoreKeys
{
    public static readonly IReadOnlyList<string> Root = ["name", "platform", "strategy", "gates", "hooks", "rollback", "timeouts"];
    public static readonly IReadOnlyList<string> Strategy = StrategyKinds.All;
    public static readonly IReadOnlyList<string> Canary = ["steps"];
    public static readonly IReadOnlyList<string> CanaryStep = ["setWeight", "pause", "gate"];
    public static readonly IReadOnlyList<string> BlueGreen = ["preSwitchGates", "postSwitchGates", "bake", "keepPreviousFor"];
    public static readonly IReadOnlyList<string> Rolling = ["batchSize", "maxUnavailable", "maxSurge", "updateHook", "gates"];
    public static readonly IReadOnlyList<string> GateMetrics = ["metric", "side", "window"];
    public static readonly IReadOnlyList<string> Hooks = HookLists.All;
    public static readonly IReadOnlyList<string> Hook = ["name", "run", "timeout"];
    public static readonly IReadOnlyList<string> Rollback = ["automatic", "onInconclusive"];
    public static readonly IReadOnlyList<string> Timeouts = ["healthy", "drain", "promote", "total"];

    private static readonly IReadOnlyList<string> GateFields = ["condition", "interval", "count", "failureLimit", "inconclusiveLimit", "minSamples", "noData"];

    public static IReadOnlyList<string> Platform(ModuleCatalog modules) => ["type", .. modules.PlatformTypes];

    public static IReadOnlyList<string> Gate(ModuleCatalog modules) => ["name", .. modules.AllGateSources.Select(g => g.Key), .. GateFields];

    /// <summary>Every core section by its path ("gates[]" is each item of gates), for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections(ModuleCatalog modules) => new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [""] = Root,
        ["platform"] = Platform(modules),
        ["strategy"] = Strategy,
        ["strategy.canary"] = Canary,
        ["strategy.canary.steps[]"] = CanaryStep,
        ["strategy.blueGreen"] = BlueGreen,
        ["strategy.rolling"] = Rolling,
        ["gates[]"] = Gate(modules),
        ["gates[].metrics"] = GateMetrics,
        ["hooks"] = Hooks,
        ["hooks.preSwitch[]"] = Hook,
        ["hooks.update[]"] = Hook,
        ["hooks.postPromote[]"] = Hook,
        ["hooks.postRollback[]"] = Hook,
        ["rollback"] = Rollback,
        ["timeouts"] = Timeouts,
    };

    /// <summary>Every core enumeration by its path, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Enums(ModuleCatalog modules) => new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["platform.type"] = modules.PlatformTypes,
        ["gates[].metrics.metric"] = SpecNames.Of(SpecNames.Metrics),
        ["gates[].metrics.side"] = SpecNames.Of(SpecNames.Sides),
        ["gates[].noData"] = SpecNames.Of(SpecNames.NoDataPolicies),
        ["rollback.onInconclusive"] = SpecNames.Of(SpecNames.InconclusiveActions),
    };
}
