using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec;

internal sealed partial class SpecBinder
{
    private const string UntilPromote = "untilPromote";
    private const string StepsExample = "[ { setWeight: 10 }, { pause: 30s }, { setWeight: 100 } ]";

    private static readonly string[] StepKinds = ["setWeight", "pause", "gate"];

    private StrategySpec? ReadStrategy(SpecMapping root)
    {
        var strategy = root.RequiredMapping("strategy", SpecKeys.Strategy, "strategy: { canary: { steps: " + StepsExample + " } }",
            "add strategy: with one of canary, blueGreen or rolling (see docs/spec.md).");
        if (strategy is null)
        {
            return null;
        }

        var kinds = SpecKeys.BySection[SpecKeys.Strategy];
        var present = kinds.Where(k => strategy.KeyNode(k) is not null).ToList();
        if (present.Count == 0)
        {
            if (!strategy.HasUnknownKeys)
            {
                errors.Add(strategy.Node, strategy.Path, "no strategy is chosen.", "add exactly one of canary, blueGreen or rolling under strategy.");
            }

            return null;
        }

        foreach (var extra in present.Skip(1))
        {
            errors.Add(strategy.KeyNode(extra)!, strategy.PathOf(extra), $"strategy has both {present[0]} and {extra}; a deployment uses exactly one.",
                $"keep one of them: remove {extra}, or remove {present[0]}.");
        }

        var canary = strategy.KeyNode("canary") is null ? null
            : strategy.RequiredMapping("canary", SpecKeys.Canary, "canary: { steps: " + StepsExample + " }", $"add steps: {StepsExample}.");
        // Every blueGreen field is optional, so an empty "blueGreen:" is a valid choice of all defaults.
        var blueGreen = strategy.KeyNode("blueGreen") is null ? null
            : strategy.Raw("blueGreen") is { } raw && SpecValues.IsNull(raw)
                ? new SpecMapping(new YamlMappingNode(), strategy.PathOf("blueGreen"), SpecKeys.BlueGreen, errors)
                : strategy.Mapping("blueGreen", SpecKeys.BlueGreen, "blueGreen: { postSwitchGates: [error-rate], bake: 1m }");
        var rolling = strategy.KeyNode("rolling") is null ? null
            : strategy.RequiredMapping("rolling", SpecKeys.Rolling, "rolling: { batchSize: 1 }", "add batchSize: 1 under rolling.");

        var spec = new StrategySpec
        {
            Canary = canary is null ? null : ReadCanary(canary),
            BlueGreen = blueGreen is null ? null : ReadBlueGreen(blueGreen),
            Rolling = rolling is null ? null : ReadRolling(rolling),
        };

        // The block was there but unreadable (already reported): no strategy to build.
        return spec.Canary is null && spec.BlueGreen is null && spec.Rolling is null ? null : spec;
    }

    private CanarySpec ReadCanary(SpecMapping canary)
    {
        var steps = new List<CanaryStepSpec>();
        var list = canary.RequiredList("steps", StepsExample, $"add steps: {StepsExample}.");
        if (list is null)
        {
            return new CanarySpec { Steps = steps };
        }

        if (list.Children.Count == 0)
        {
            errors.Add(list, canary.PathOf("steps"), "steps is empty.", $"list the steps, e.g. steps: {StepsExample}.");
            return new CanarySpec { Steps = steps };
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var step = ReadStep(list.Children[i], $"{canary.PathOf("steps")}[{i}]");
            if (step is not null)
            {
                steps.Add(step);
            }
        }

        // Without a setWeight the candidate never receives traffic, so nothing is ever tested or promoted.
        if (steps.Count == list.Children.Count && !steps.Any(s => s.SetWeight is not null))
        {
            errors.Add(list, canary.PathOf("steps"), "no step sets a weight, so the candidate would never receive traffic.",
                "add at least one setWeight step, e.g. - setWeight: 10 first and - setWeight: 100 last.");
        }

        return new CanarySpec { Steps = steps };
    }

    private CanaryStepSpec? ReadStep(YamlNode node, string path)
    {
        var step = SpecMapping.AsMapping(node, path, SpecKeys.CanaryStep, errors, "- setWeight: 10, - pause: 30s or - gate: error-rate");
        if (step is null)
        {
            return null;
        }

        var kinds = StepKinds.Where(k => step.KeyNode(k) is not null).ToList();
        if (kinds.Count == 0)
        {
            if (!step.HasUnknownKeys)
            {
                errors.Add(node, path, "the step is empty; a step is one of setWeight, pause or gate.", "write e.g. - setWeight: 10, - pause: 30s or - gate: error-rate.");
            }

            return null;
        }

        if (kinds.Count > 1)
        {
            errors.Add(step.KeyNode(kinds[1])!, step.PathOf(kinds[1]), $"the step has both {kinds[0]} and {kinds[1]}; a step does one thing.",
                $"split it into two list items: - {kinds[0]}: ... and - {kinds[1]}: ...");
            return null;
        }

        var line = (int)node.Start.Line;
        var value = step.Raw(kinds[0])!;
        var valuePath = step.PathOf(kinds[0]);
        switch (kinds[0])
        {
            case "setWeight":
                var weight = SpecValues.Int(errors, value, valuePath, 0, 100);
                return weight is null ? null : new CanaryStepSpec { SetWeight = weight, Line = line };
            case "pause":
                var pause = ReadPause(value, valuePath);
                return pause is null ? null : new CanaryStepSpec { Pause = pause, Line = line };
            default:
                var gate = SpecValues.Text(errors, value, valuePath, "write the name of a gate defined under gates:, e.g. gate: error-rate.");
                if (gate is null)
                {
                    return null;
                }

                CheckGateReference(value, valuePath, gate);
                return new CanaryStepSpec { Gate = gate, Line = line };
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
                    errors.Add(value, path, "pause takes the duration directly, not a duration field.", $"write pause: {d.Value}.");
                }
                else
                {
                    errors.Add(value, path, "pause: {} takes no fields.", Fix);
                }

                return null;
            case YamlScalarNode s when SpecValues.IsNull(s):
                errors.Add(value, path, "pause has no value.", Fix);
                return null;
            case YamlScalarNode { Value: UntilPromote }:
                return new PauseSpec(null);
            case YamlScalarNode s when DidYouMean.Closest(s.Value ?? "", [UntilPromote]) is not null:
                errors.Add(value, path, $"'{s.Value}' is not a pause; did you mean '{UntilPromote}'?", $"write pause: {UntilPromote}.");
                return null;
            default:
                var wait = SpecValues.Duration(errors, value, path, allowZero: false);
                return wait is null ? null : new PauseSpec(wait);
        }
    }

    private BlueGreenSpec ReadBlueGreen(SpecMapping blueGreen)
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

    private RollingSpec ReadRolling(SpecMapping rolling)
    {
        var batchNode = rolling.Required("batchSize", "add batchSize: with the number of targets per batch, e.g. batchSize: 1 or batchSize: 25%.");
        var batch = batchNode is null ? null : SpecValues.CountOrPercent(errors, batchNode, rolling.PathOf("batchSize"), 1);
        var maxUnavailable = rolling.CountOrPercent("maxUnavailable", 0);
        var maxSurge = rolling.CountOrPercent("maxSurge", 0);
        var updateHook = rolling.Text("updateHook", "write the name of a hook defined under hooks.update.");
        if (updateHook is not null)
        {
            CheckUpdateHook(rolling.Get("updateHook")!, rolling.PathOf("updateHook"), updateHook);
        }

        var defaults = new RollingSpec { BatchSize = batch ?? CountOrPercent.FromCount(1) };
        var spec = defaults with
        {
            MaxUnavailable = maxUnavailable ?? defaults.MaxUnavailable,
            MaxSurge = maxSurge ?? defaults.MaxSurge,
            UpdateHook = updateHook,
            Gates = ReadGateNames(rolling, "gates"),
        };

        if ((rolling.Has("maxUnavailable") && maxUnavailable is null) || (rolling.Has("maxSurge") && maxSurge is null))
        {
            return spec;
        }

        if (spec.MaxUnavailable.Value == 0 && spec.MaxSurge.Value == 0)
        {
            errors.Add(rolling.Get("maxUnavailable") ?? rolling.Node, rolling.PathOf("maxUnavailable"),
                "maxUnavailable and maxSurge are both 0, so no target can ever be taken out or added and the rollout cannot progress.",
                "allow at least one: maxUnavailable: 1 (update one target at a time in place) or maxSurge: 1 (add a new target before removing an old one).");
        }
        else if (batch is { IsPercent: false } b && !spec.MaxUnavailable.IsPercent && !spec.MaxSurge.IsPercent
            && b.Value > spec.MaxUnavailable.Value + spec.MaxSurge.Value)
        {
            // Each target in a batch is either out of service (counts against maxUnavailable) or replaced
            // by a surge target first (counts against maxSurge); a bigger batch would break one of them.
            var allowed = spec.MaxUnavailable.Value + spec.MaxSurge.Value;
            errors.Add(batchNode!, rolling.PathOf("batchSize"),
                $"batchSize {b.Value} is more than maxUnavailable ({spec.MaxUnavailable.Value}) + maxSurge ({spec.MaxSurge.Value}) = {allowed} allow at once.",
                $"lower batchSize to {allowed}, or raise maxUnavailable or maxSurge so that together they are at least {b.Value}.");
        }

        return spec;
    }

    private void CheckUpdateHook(YamlNode node, string path, string name)
    {
        if (_hooks.TryGetValue(name, out var hook))
        {
            if (hook.List != "update")
            {
                errors.Add(node, path, $"'{name}' is a {hook.List} hook, not an update hook.",
                    $"move the hook '{name}' to hooks.update, or name a hook that is there.");
            }

            return;
        }

        var updateHooks = _hooks.Where(h => h.Value.List == "update").Select(h => h.Key).ToList();
        var close = DidYouMean.Closest(name, updateHooks);
        errors.Add(node, path,
            close is null ? $"no hook in hooks.update is named '{name}'." : $"no hook in hooks.update is named '{name}'; did you mean '{close}'?",
            close is not null ? $"write updateHook: {close}."
            : updateHooks.Count == 0 ? $"define it: hooks: {{ update: [ {{ name: {name}, run: ./update.sh }} ] }}, or remove updateHook to use the platform's own updater."
            : $"use one of {SpecValues.OneOf(updateHooks)}, or define '{name}' under hooks.update.");
    }
}
