using ZdPipelines.Core.Spec.Reading;

namespace ZdPipelines.Core.Spec.Validation;

public static partial class SpecValidator
{
    private const string StepsExample = "[ { setWeight: 10 }, { pause: 30s }, { setWeight: 100 } ]";

    private static void CheckStrategy(DeploymentSpec spec, Dictionary<string, string> gates, Dictionary<string, (string List, string Path)> hooks, SpecProblems problems)
    {
        var strategy = spec.Strategy;
        var chosen = new[] { (StrategyKinds.Canary, strategy.Canary is not null), (StrategyKinds.BlueGreen, strategy.BlueGreen is not null), (StrategyKinds.Rolling, strategy.Rolling is not null) }
            .Where(k => k.Item2).Select(k => k.Item1).ToList();
        if (chosen.Count != 1)
        {
            if (problems.IsUnreadable("strategy") || problems.HasUnknownKeys("strategy"))
            {
                return;
            }

            problems.Add("strategy", chosen.Count == 0 ? "no strategy is chosen." : $"strategy has {SpecValues.OneOf(chosen).Replace(" or ", " and ", StringComparison.Ordinal)}; a deployment uses exactly one.",
                "set exactly one of canary, blueGreen or rolling under strategy.");
            return;
        }

        if (strategy.Canary is { } canary)
        {
            CheckCanary(canary, gates, problems);
        }
        else if (strategy.BlueGreen is { } blueGreen)
        {
            CheckGateReferences(blueGreen.PreSwitchGates, "strategy.blueGreen.preSwitchGates", gates, problems);
            CheckGateReferences(blueGreen.PostSwitchGates, "strategy.blueGreen.postSwitchGates", gates, problems);
        }
        else if (strategy.Rolling is { } rolling)
        {
            CheckRolling(rolling, gates, hooks, problems);
        }
    }

    private static void CheckCanary(CanarySpec canary, Dictionary<string, string> gates, SpecProblems problems)
    {
        const string Path = "strategy.canary.steps";
        if (problems.IsUnreadable(Path) && canary.Steps.Count == 0)
        {
            return;
        }

        if (canary.Steps.Count == 0)
        {
            problems.Add(Path, "steps is empty.", $"list the steps, e.g. steps: {StepsExample}.");
            return;
        }

        for (var i = 0; i < canary.Steps.Count; i++)
        {
            var step = canary.Steps[i];
            var path = SpecPaths.Item(Path, i);
            if (problems.IsUnreadable(path))
            {
                continue;
            }

            var set = (step.SetWeight is not null ? 1 : 0) + (step.Pause is not null ? 1 : 0) + (step.Gate is not null ? 1 : 0);
            if (set != 1)
            {
                problems.Add(path, set == 0 ? "the step is empty; a step is one of setWeight, pause or gate." : "the step sets more than one of setWeight, pause and gate; a step does one thing.",
                    "write e.g. - setWeight: 10, - pause: 30s or - gate: error-rate.");
                continue;
            }

            if (step.SetWeight is { } weight)
            {
                problems.CheckRange($"{path}.setWeight", weight, CanaryLimits.Weight);
            }
            else if (step.Pause is { Duration: { } wait })
            {
                problems.CheckPositive($"{path}.pause", wait);
            }
            else if (step.Gate is { } gate)
            {
                CheckGateReference(gate, $"{path}.gate", gates, problems);
            }
        }

        // Without a setWeight the candidate never receives traffic, so nothing is ever tested or promoted.
        if (!problems.IsUnreadable(Path) && !canary.Steps.Any(s => s.SetWeight is not null))
        {
            problems.Add(Path, "no step sets a weight, so the candidate would never receive traffic.",
                "add at least one setWeight step, e.g. - setWeight: 10 first and - setWeight: 100 last.");
        }
    }

    private static void CheckRolling(RollingSpec rolling, Dictionary<string, string> gates, Dictionary<string, (string List, string Path)> hooks, SpecProblems problems)
    {
        const string Path = "strategy.rolling";
        var batchOk = !problems.IsUnreadable($"{Path}.batchSize") & problems.CheckCountOrPercent($"{Path}.batchSize", rolling.BatchSize, RollingLimits.MinBatchSize);
        var unavailableOk = !problems.IsUnreadable($"{Path}.maxUnavailable") & problems.CheckCountOrPercent($"{Path}.maxUnavailable", rolling.MaxUnavailable, 0);
        var surgeOk = !problems.IsUnreadable($"{Path}.maxSurge") & problems.CheckCountOrPercent($"{Path}.maxSurge", rolling.MaxSurge, 0);
        if (rolling.UpdateHook is { } updateHook)
        {
            CheckUpdateHook(updateHook, $"{Path}.updateHook", hooks, problems);
        }

        CheckGateReferences(rolling.Gates, $"{Path}.gates", gates, problems);
        if (!unavailableOk || !surgeOk)
        {
            return;
        }

        if (rolling.MaxUnavailable.Value == 0 && rolling.MaxSurge.Value == 0)
        {
            problems.Add($"{Path}.maxUnavailable",
                "maxUnavailable and maxSurge are both 0, so no target can ever be taken out or added and the rollout cannot progress.",
                "allow at least one: maxUnavailable: 1 (update one target at a time in place) or maxSurge: 1 (add a new target before removing an old one).");
        }
        else if (batchOk && rolling.BatchSize is { IsPercent: false } b && !rolling.MaxUnavailable.IsPercent && !rolling.MaxSurge.IsPercent
            && b.Value > rolling.MaxUnavailable.Value + rolling.MaxSurge.Value)
        {
            // Each target in a batch is either out of service (counts against maxUnavailable) or replaced
            // by a surge target first (counts against maxSurge); a bigger batch would break one of them.
            var allowed = rolling.MaxUnavailable.Value + rolling.MaxSurge.Value;
            problems.Add($"{Path}.batchSize",
                $"batchSize {b.Value} is more than maxUnavailable ({rolling.MaxUnavailable.Value}) + maxSurge ({rolling.MaxSurge.Value}) = {allowed} allow at once.",
                $"lower batchSize to {allowed}, or raise maxUnavailable or maxSurge so that together they are at least {b.Value}.");
        }
    }

    private static void CheckGateReferences(IReadOnlyList<string> names, string path, Dictionary<string, string> gates, SpecProblems problems)
    {
        for (var i = 0; i < names.Count; i++)
        {
            CheckGateReference(names[i], SpecPaths.Item(path, i), gates, problems);
        }
    }

    private static void CheckUpdateHook(string name, string path, Dictionary<string, (string List, string Path)> hooks, SpecProblems problems)
    {
        if (problems.IsUnreadable(path))
        {
            return;
        }

        if (hooks.TryGetValue(name, out var hook))
        {
            if (hook.List != HookLists.Update)
            {
                problems.Add(path, $"'{name}' is a {hook.List} hook, not an update hook.", $"move the hook '{name}' to hooks.update, or name a hook that is there.");
            }

            return;
        }

        var updateHooks = hooks.Where(h => h.Value.List == HookLists.Update).Select(h => h.Key).ToList();
        var close = DidYouMean.Closest(name, updateHooks);
        problems.Add(path,
            close is null ? $"no hook in hooks.update is named '{name}'." : $"no hook in hooks.update is named '{name}'; did you mean '{close}'?",
            close is not null ? $"write updateHook: {close}."
            : updateHooks.Count == 0 ? $"define it: hooks: {{ update: [ {{ name: {name}, run: ./update.sh }} ] }}, or remove updateHook to use the platform's own updater."
            : $"use one of {SpecValues.OneOf(updateHooks)}, or define '{name}' under hooks.update.");
    }
}
