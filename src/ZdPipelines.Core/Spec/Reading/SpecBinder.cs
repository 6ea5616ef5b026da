using YamlDotNet.RepresentationModel;
using ZdPipelines.Core.Modules;

namespace ZdPipelines.Core.Spec.Reading;

/// <summary>
/// Binds a loaded zdp.yml tree to a <see cref="DeploymentSpec"/>: the shape of every field (a mapping, a list, a
/// number, a duration), unknown and duplicate keys, and which blocks are there. The platform block and gate sources
/// are bound by their modules. What the values must be (ranges, patterns, references between sections) is the
/// validator's, which runs on the records afterwards whatever built them.
/// </summary>
/// <remarks>
/// A spec is always returned (unreadable values hold defaults and are marked in the <see cref="SpecSource"/>), so the
/// validator can still judge everything else and one run reports every problem.
/// </remarks>
internal sealed partial class SpecBinder(SpecSource source, string sourcePath, ModuleCatalog modules)
{
    public DeploymentSpec Bind(YamlMappingNode rootNode)
    {
        source.Locate("", null, rootNode);
        var root = new SpecMapping(rootNode, "", CoreKeys.Root, source);
        return new DeploymentSpec
        {
            Name = root.Text("name", "add name: my-service (lowercase letters, digits and '-').", required: true) ?? "",
            Platform = ReadPlatform(root),
            Gates = ReadGates(root),
            Hooks = ReadHooks(root),
            Strategy = ReadStrategy(root),
            Rollback = ReadRollback(root),
            Timeouts = ReadTimeouts(root),
            SourcePath = sourcePath,
        };
    }

    private PlatformSpec ReadPlatform(SpecMapping root)
    {
        var types = modules.PlatformTypes;
        var first = modules.Platforms.Count > 0 ? modules.Platforms[0] : null;
        var platform = root.RequiredMapping("platform", CoreKeys.Platform(modules), $"platform: {{ type: {first?.Type}, {first?.Example} }}",
            $"add platform: with type: and the block of that type ({SpecValues.OneOf(types)}; see docs/spec.md).");
        if (platform is null)
        {
            return new PlatformSpec("", UnboundPlatformOptions.Instance);
        }

        var typeNode = platform.Required("type", $"add type: with one of {SpecValues.OneOf(types)}.");
        var type = typeNode is null ? null : SpecValues.Keyword(source, typeNode, platform.PathOf("type"), types);
        if (type is null)
        {
            return new PlatformSpec("", UnboundPlatformOptions.Instance);
        }

        foreach (var other in types.Where(t => t != type && platform.HasKey(t)))
        {
            platform.ReportAtKey(other, $"platform.type is {type}, so the {other} block does not apply.",
                $"remove the {other} block, or set type: {other} and remove the {type} block.");
        }

        var module = modules.Platform(type)!;
        if (!platform.Has(type))
        {
            platform.ReportMissing(type, $"add {Article(type)} {type} block under platform, e.g. {module.Example}.");
            return new PlatformSpec(type, UnboundPlatformOptions.Instance);
        }

        return new PlatformSpec(type, module.Bind(platform) ?? UnboundPlatformOptions.Instance);
    }

    private static HooksSpec ReadHooks(SpecMapping root)
    {
        var hooks = root.Mapping("hooks", CoreKeys.Hooks, "hooks: { preSwitch: [ { name: smoke, run: ./smoke.sh } ] }");
        if (hooks is null)
        {
            return new HooksSpec();
        }

        return new HooksSpec
        {
            PreSwitch = ReadHookList(hooks, HookLists.PreSwitch),
            Update = ReadHookList(hooks, HookLists.Update),
            PostPromote = ReadHookList(hooks, HookLists.PostPromote),
            PostRollback = ReadHookList(hooks, HookLists.PostRollback),
        };
    }

    private static List<HookSpec> ReadHookList(SpecMapping hooks, string list)
    {
        var result = new List<HookSpec>();
        foreach (var item in hooks.Mappings(list, CoreKeys.Hook, "[ { name: smoke, run: ./smoke.sh, timeout: 5m } ]", "{ name: smoke, run: ./smoke.sh, timeout: 5m }") ?? [])
        {
            result.Add(item is null ? new HookSpec { Name = "", Run = "" } : new HookSpec
            {
                Name = item.Text("name", "give the hook a name, e.g. name: smoke.", required: true) ?? "",
                Run = item.Text("run", "add run: with the command line to execute, e.g. run: ./smoke.sh {preview}.", required: true) ?? "",
                Timeout = item.Duration("timeout") ?? HookDefaults.Timeout,
            });
        }

        return result;
    }

    private static RollbackSpec ReadRollback(SpecMapping root)
    {
        var defaults = new RollbackSpec();
        var rollback = root.Mapping("rollback", CoreKeys.Rollback, "rollback: { automatic: true, onInconclusive: rollback }");
        return rollback is null ? defaults : defaults with
        {
            Automatic = rollback.Flag("automatic") ?? defaults.Automatic,
            OnInconclusive = rollback.Enum("onInconclusive", SpecNames.InconclusiveActions) ?? defaults.OnInconclusive,
        };
    }

    private static TimeoutsSpec ReadTimeouts(SpecMapping root)
    {
        var defaults = new TimeoutsSpec();
        var timeouts = root.Mapping("timeouts", CoreKeys.Timeouts, "timeouts: { healthy: 5m, drain: 6m, promote: 24h, total: 1h }");
        return timeouts is null ? defaults : defaults with
        {
            Healthy = timeouts.Duration("healthy") ?? defaults.Healthy,
            Drain = timeouts.Duration("drain") ?? defaults.Drain,
            Promote = timeouts.Duration("promote") ?? defaults.Promote,
            Total = timeouts.Duration("total") ?? defaults.Total,
        };
    }

    private static string Article(string word) => "aeiouAEIOU".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";
}

/// <summary>Stands in for a platform block that could not be read (already reported); no module validates it.</summary>
internal sealed record UnboundPlatformOptions : PlatformOptions
{
    public static readonly UnboundPlatformOptions Instance = new();
}

/// <summary>Stands in for a gate source block that could not be read (already reported); no module validates it.</summary>
internal sealed record UnboundGateSource : GateSourceOptions
{
    public static readonly UnboundGateSource Instance = new();

    public override string Kind => "";
}
