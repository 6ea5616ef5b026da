using System.Globalization;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec.Reading;

namespace ZdPipelines.Core.Spec.Validation;

public static partial class SpecValidator
{
    /// <summary>Checks every gate; returns the defined gate names with the path of each name, for references.</summary>
    private static Dictionary<string, string> CheckGates(DeploymentSpec spec, ModuleCatalog modules, SpecProblems problems)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Gates.Count; i++)
        {
            var gate = spec.Gates[i];
            var path = SpecPaths.Item("gates", i);
            if (gate.Source is UnboundGateSource && problems.IsUnreadable(path) && gate.Name.Length == 0)
            {
                continue;
            }

            var namePath = $"{path}.name";
            CheckItemName(gate.Name, namePath, "gate", problems);
            if (gate.Name.Length == 0 && !problems.IsUnreadable(namePath) && !problems.IsWritten(namePath))
            {
                problems.AddMissing(namePath, "give the gate a name, e.g. name: error-rate.");
            }
            else if (gate.Name.Length > 0 && names.TryGetValue(gate.Name, out var first))
            {
                problems.Add(namePath, $"gate name '{gate.Name}' is already used {problems.Where(first)}.", "give each gate a name of its own.");
            }
            else if (gate.Name.Length > 0)
            {
                names[gate.Name] = namePath;
            }

            CheckGateSource(spec, gate, path, modules, problems);
            CheckGateFields(gate, path, problems);
        }

        return names;
    }

    private static void CheckGateSource(DeploymentSpec spec, GateSpec gate, string path, ModuleCatalog modules, SpecProblems problems)
    {
        if (gate.Source is UnboundGateSource)
        {
            return;
        }

        var sourcePath = $"{path}.{gate.SourceKind}";
        if (modules.GateSource(gate.SourceKind) is not { } source)
        {
            var known = modules.AllGateSources.Select(s => s.Key).ToList();
            problems.Add(path, $"the gate's source '{gate.SourceKind}' is not one zdp knows.", $"use one of {SpecValues.OneOf(known)}.");
            return;
        }

        var platform = spec.Platform.Type;
        if (modules.OwnerOf(source) is { } owner && owner.Type != platform && platform.Length > 0 && gate.Name.Length > 0)
        {
            var generic = modules.GenericGateSources.Select(s => s.Key).ToList();
            problems.AddAtKey(sourcePath, $"gate '{gate.Name}' {source.Reads}, which needs {owner.Description}, but platform.type is {platform}.",
                $"use platform.type: {owner.Type}, or measure with a {SpecValues.OneOf(generic)} gate.");
        }

        source.Validate(gate.Source, sourcePath, spec, problems);
    }

    private static void CheckGateFields(GateSpec gate, string path, SpecProblems problems)
    {
        var conditionPath = $"{path}.condition";
        if (!problems.IsUnreadable(conditionPath) && !problems.IsUnreadable($"{path}.{gate.SourceKind}")
            && gate.Source.RatioName is { } ratio && gate.Condition.Threshold > 1)
        {
            // Ratios are 0..1; "< 5" meaning 5 % would always pass, the kind of gate that protects nothing.
            var threshold = gate.Condition.Threshold.ToString(CultureInfo.InvariantCulture);
            var share = (gate.Condition.Threshold / 100).ToString(CultureInfo.InvariantCulture);
            problems.Add(conditionPath, $"{ratio} is a ratio from 0 to 1, but the threshold is {threshold}.",
                $"write the threshold as a ratio, e.g. condition: \"{GateCondition.Symbol(gate.Condition.Operator)} {share}\" for {threshold}%.");
        }

        problems.CheckPositive($"{path}.interval", gate.Interval);
        problems.CheckRange($"{path}.minSamples", gate.MinSamples, GateLimits.MinSamples);
        var countPath = $"{path}.count";
        var countKnown = !problems.IsUnreadable(countPath) & problems.CheckRange(countPath, gate.Count, GateLimits.Count);

        var failurePath = $"{path}.failureLimit";
        if (problems.CheckRange(failurePath, gate.FailureLimit, GateLimits.Limit) && countKnown && !problems.IsUnreadable(failurePath)
            && gate.FailureLimit >= gate.Count)
        {
            problems.Add(failurePath, $"failureLimit {gate.FailureLimit} is not less than count ({gate.Count}), so the gate could never fail.",
                $"use a failureLimit from 0 to {gate.Count - 1}, or raise count above {gate.FailureLimit}.");
        }

        var inconclusivePath = $"{path}.inconclusiveLimit";
        if (problems.CheckRange(inconclusivePath, gate.InconclusiveLimit, GateLimits.Limit) && countKnown && !problems.IsUnreadable(inconclusivePath)
            && gate.InconclusiveLimit > gate.Count)
        {
            problems.Add(inconclusivePath, $"inconclusiveLimit {gate.InconclusiveLimit} is more than count ({gate.Count}) measurements.",
                $"use an inconclusiveLimit from 0 to {gate.Count}.");
        }
    }

    /// <summary>Reports a name that refers to no gate, suggesting the closest defined one.</summary>
    private static void CheckGateReference(string name, string path, IReadOnlyDictionary<string, string> gates, SpecProblems problems)
    {
        if (problems.IsUnreadable(path) || gates.ContainsKey(name))
        {
            return;
        }

        var close = DidYouMean.Closest(name, gates.Keys);
        if (close is not null)
        {
            problems.Add(path, $"no gate is named '{name}'; did you mean '{close}'?", $"write {close}.");
        }
        else if (gates.Count == 0)
        {
            problems.Add(path, $"no gate is named '{name}'; the spec defines no gates.",
                $"define it under gates: (e.g. - name: {name}, with a metrics, http or command source and a condition), or remove this reference.");
        }
        else
        {
            problems.Add(path, $"no gate is named '{name}'.",
                $"define it under gates:, or use one of the defined gates: {SpecValues.OneOf([.. gates.Keys])}.");
        }
    }
}
