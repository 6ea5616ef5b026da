using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec.Reading;

internal sealed partial class SpecBinder
{
    private const string UntilPromote = "untilPromote";
    private const string StepsExample = "[ { setWeight: 10 }, { pause: 30s }, { setWeight: 100 } ]";

    private StrategySpec ReadStrategy(SpecMapping root)
    {
        var strategy = root.RequiredMapping("strategy", CoreKeys.Strategy, "strategy: { canary: { steps: " + StepsExample + " } }",
            "add strategy: with one of canary, blueGreen or rolling (see docs/spec.md).");
        if (strategy is null)
        {
            return new StrategySpec();
        }

        var present = CoreKeys.Strategy.Where(strategy.HasKey).ToList();
        if (present.Count == 0)
        {
            if (!strategy.HasUnknownKeys)
            {
                strategy.ReportHere("no strategy is chosen.", "add exactly one of canary, blueGreen or rolling under strategy.");
            }

            return new StrategySpec();
        }

        foreach (var extra in present.Skip(1))
        {
            strategy.ReportAtKey(extra, $"strategy has both {present[0]} and {extra}; a deployment uses exactly one.",
                $"keep one of them: remove {extra}, or remove {present[0]}.");
        }

        // Only the first block is read: judging the others would add messages about a block the user must remove anyway.
        switch (present[0])
        {
            case StrategyKinds.Canary:
                var canary = strategy.RequiredMapping(StrategyKinds.Canary, CoreKeys.Canary, "canary: { steps: " + StepsExample + " }", $"add steps: {StepsExample}.");
                return canary is null ? new StrategySpec() : new StrategySpec { Canary = ReadCanary(canary) };
            case StrategyKinds.BlueGreen:
                // Every blueGreen field is optional, so an empty "blueGreen:" is a valid choice of all defaults.
                var blueGreen = strategy.Raw(StrategyKinds.BlueGreen) is { } raw && SpecValues.IsNull(raw)
                    ? new SpecMapping(new YamlMappingNode(), strategy.PathOf(StrategyKinds.BlueGreen), CoreKeys.BlueGreen, source)
                    : strategy.Mapping(StrategyKinds.BlueGreen, CoreKeys.BlueGreen, "blueGreen: { postSwitchGates: [error-rate], bake: 1m }");
                return blueGreen is null ? new StrategySpec() : new StrategySpec { BlueGreen = ReadBlueGreen(blueGreen) };
            default:
                var rolling = strategy.RequiredMapping(StrategyKinds.Rolling, CoreKeys.Rolling, "rolling: { batchSize: 1 }", "add batchSize: 1 under rolling.");
                return rolling is null ? new StrategySpec() : new StrategySpec { Rolling = ReadRolling(rolling) };
        }
    }

    private CanarySpec ReadCanary(SpecMapping canary)
    {
        var steps = new List<CanaryStepSpec>();
        var list = canary.RequiredList("steps", StepsExample, $"add steps: {StepsExample}.");
        for (var i = 0; list is not null && i < list.Children.Count; i++)
        {
            var path = SpecPaths.Item(canary.PathOf("steps"), i);
            source.Locate(path, null, list.Children[i]);
            // An unreadable step keeps its place (empty), so the paths of the others stay those of the file.
            steps.Add(ReadStep(list.Children[i], path) ?? new CanaryStepSpec { Line = (int)list.Children[i].Start.Line });
        }

        return new CanarySpec { Steps = steps };
    }

    private CanaryStepSpec? ReadStep(YamlNode node, string path)
    {
        var step = SpecMapping.AsMapping(node, path, CoreKeys.CanaryStep, source, "- setWeight: 10, - pause: 30s or - gate: error-rate");
        if (step is null)
        {
            return null;
        }

        var kinds = CoreKeys.CanaryStep.Where(step.HasKey).ToList();
        if (kinds.Count == 0)
        {
            if (!step.HasUnknownKeys)
            {
                source.Add(node, path, "the step is empty; a step is one of setWeight, pause or gate.", "write e.g. - setWeight: 10, - pause: 30s or - gate: error-rate.");
            }

            return null;
        }

        if (kinds.Count > 1)
        {
            step.ReportAtKey(kinds[1], $"the step has both {kinds[0]} and {kinds[1]}; a step does one thing.",
                $"split it into two list items: - {kinds[0]}: ... and - {kinds[1]}: ...");
            return null;
        }

        var line = (int)node.Start.Line;
        var value = step.Raw(kinds[0])!;
        var valuePath = step.PathOf(kinds[0]);
        switch (kinds[0])
        {
            case "setWeight":
                var weight = SpecValues.Int(source, value, valuePath, CanaryLimits.Weight);
                return weight is null ? null : new CanaryStepSpec { SetWeight = weight, Line = line };
            case "pause":
                var pause = ReadPause(value, valuePath);
                return pause is null ? null : new CanaryStepSpec { Pause = pause, Line = line };
            default:
                var gate = SpecValues.Text(source, value, valuePath, "write the name of a gate defined under gates:, e.g. gate: error-rate.");
                return gate is null ? null : new CanaryStepSpec { Gate = gate, Line = line };
        }
    }

    /// <summary>
    /// pause: 30s waits; pause: {} or pause: untilPromote waits for `zdp promote`. An empty pause: is
    /// rejected rather than read as "forever": a forgotten duration must not hold a rollout for a day.
    /// </summary>
    private PauseSpec? ReadPause(YamlNode value, string path)
    {
        const string Fix = "write pause: 30s to wait a while, or pause: {} (or pause: untilPromote) to wait for zdp promote.";
        switch (value)
        {
            case YamlMappingNode { Children.Count: 0 }:
                return new PauseSpec(null);
            case YamlMappingNode mapping:
                var duration = mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "duration" }).Value;
                if (duration is YamlScalarNode d)
                {
                    source.Add(value, path, "pause takes the duration directly, not a duration field.", $"write pause: {d.Value}.");
                }
                else
                {
                    source.Add(value, path, "pause: {} takes no fields.", Fix);
                }

                return null;
            case YamlScalarNode s when SpecValues.IsNull(s):
                source.Add(value, path, "pause has no value.", Fix);
                return null;
            case YamlScalarNode { Value: UntilPromote }:
                return new PauseSpec(null);
            case YamlScalarNode s when DidYouMean.Closest(s.Value ?? "", [UntilPromote]) is not null:
                source.Add(value, path, $"'{s.Value}' is not a pause; did you mean '{UntilPromote}'?", $"write pause: {UntilPromote}.");
                return null;
            default:
                var wait = SpecValues.Duration(source, value, path, allowZero: false);
                return wait is null ? null : new PauseSpec(wait);
        }
    }

    private static BlueGreenSpec ReadBlueGreen(SpecMapping blueGreen)
    {
        var defaults = new BlueGreenSpec();
        return defaults with
        {
            PreSwitchGates = ReadGateNames(blueGreen, "preSwitchGates"),
            PostSwitchGates = ReadGateNames(blueGreen, "postSwitchGates"),
            Bake = blueGreen.Duration("bake", allowZero: true) ?? defaults.Bake,
            KeepPreviousFor = blueGreen.Duration("keepPreviousFor", allowZero: true) ?? defaults.KeepPreviousFor,
        };
    }

    private static RollingSpec ReadRolling(SpecMapping rolling)
    {
        var batchNode = rolling.Required("batchSize", "add batchSize: with the number of targets per batch, e.g. batchSize: 1 or batchSize: 25%.");
        var batch = batchNode is null ? null : SpecValues.CountOrPercent(rolling.Source, batchNode, rolling.PathOf("batchSize"), RollingLimits.MinBatchSize);
        var defaults = new RollingSpec { BatchSize = batch ?? CountOrPercent.FromCount(RollingLimits.MinBatchSize) };
        return defaults with
        {
            MaxUnavailable = rolling.CountOrPercent("maxUnavailable", 0) ?? defaults.MaxUnavailable,
            MaxSurge = rolling.CountOrPercent("maxSurge", 0) ?? defaults.MaxSurge,
            UpdateHook = rolling.Text("updateHook", "write the name of a hook defined under hooks.update."),
            Gates = ReadGateNames(rolling, "gates"),
        };
    }

    /// <summary>A list of gate names (rolling.gates, blueGreen.*Gates); unreadable items keep their place as "".</summary>
    private static List<string> ReadGateNames(SpecMapping owner, string key) =>
        [.. (owner.Texts(key, "[error-rate]", "write the name of a gate defined under gates:.") ?? []).Select(n => n ?? "")];
}
