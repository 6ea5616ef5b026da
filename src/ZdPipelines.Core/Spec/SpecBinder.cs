using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec;

/// <summary>
/// Binds a loaded zdp.yml tree to <see cref="DeploymentSpec"/>, checking each field where it is read and the
/// cross-field rules (references, strategy against platform) once all sections are read. Every problem is
/// reported; a spec is returned only when the tree could be bound at all, and the reader discards it when
/// any error was found.
/// </summary>
internal sealed partial class SpecBinder(SpecErrors errors, string sourcePath)
{
    /// <summary>DNS-label shaped, so the name works as a file name, a lease key and a cloud resource tag.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceName();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ItemName();

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotNameChars();

    // Names defined in gates and hooks, with where they were defined, for reference checks and duplicates.
    private readonly Dictionary<string, YamlNode> _gates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string List, YamlNode Node)> _hooks = new(StringComparer.Ordinal);

    public DeploymentSpec? Bind(YamlMappingNode rootNode)
    {
        var root = new SpecMapping(rootNode, "", SpecKeys.Root, errors);
        var name = ReadName(root);
        var platform = ReadPlatform(root);
        var gates = ReadGates(root);
        var hooks = ReadHooks(root);
        var strategy = ReadStrategy(root);
        var rollback = ReadRollback(root);
        var timeouts = ReadTimeouts(root);
        if (platform is not null && strategy is not null)
        {
            CheckPlatformServesStrategy(platform, strategy);
        }

        if (platform is not null)
        {
            CheckAwsGatesHaveAwsPlatform(platform);
        }

        if (name is null || platform is null || strategy is null)
        {
            return null;
        }

        return new DeploymentSpec
        {
            Name = name,
            Platform = platform,
            Strategy = strategy,
            Gates = gates,
            Hooks = hooks,
            Rollback = rollback,
            Timeouts = timeouts,
            SourcePath = sourcePath,
        };
    }

    private string? ReadName(SpecMapping root)
    {
        var name = root.Text("name", "add name: my-service (lowercase letters, digits and '-').", required: true);
        if (name is not null && !ServiceName().IsMatch(name))
        {
            errors.Add(root.Get("name")!, "name", $"'{name}' is not a valid name.",
                $"use 1 to 63 lowercase letters, digits and '-', starting with a letter or digit{SuggestName(name, 63)}.");
            return null;
        }

        return name;
    }

    /// <summary>Checks a gate or hook name; returns it when usable as a reference target.</summary>
    private string? ReadItemName(SpecMapping item, string what, string example)
    {
        var name = item.Text("name", $"give the {what} a name, e.g. name: {example}.", required: true);
        if (name is not null && !ItemName().IsMatch(name))
        {
            errors.Add(item.Get("name")!, item.PathOf("name"), $"'{name}' is not a valid {what} name.",
                $"use lowercase letters, digits and '-', starting with a letter or digit{SuggestName(name, int.MaxValue)}.");
        }

        return name;
    }

    private static string SuggestName(string name, int maxLength)
    {
        var slug = NotNameChars().Replace(name.ToLowerInvariant(), "-").Trim('-');
        if (slug.Length > maxLength)
        {
            slug = slug[..maxLength].TrimEnd('-');
        }

        return slug.Length == 0 ? "" : $", e.g. {slug}";
    }

    private HooksSpec ReadHooks(SpecMapping root)
    {
        var defaults = new HooksSpec();
        var hooks = root.Mapping("hooks", SpecKeys.Hooks, "hooks: { preSwitch: [ { name: smoke, run: ./smoke.sh } ] }");
        if (hooks is null)
        {
            return defaults;
        }

        return defaults with
        {
            PreSwitch = ReadHookList(hooks, "preSwitch"),
            Update = ReadHookList(hooks, "update"),
            PostPromote = ReadHookList(hooks, "postPromote"),
            PostRollback = ReadHookList(hooks, "postRollback"),
        };
    }

    private List<HookSpec> ReadHookList(SpecMapping hooks, string list)
    {
        var result = new List<HookSpec>();
        var items = hooks.List(list, "[ { name: smoke, run: ./smoke.sh, timeout: 5m } ]");
        if (items is null)
        {
            return result;
        }

        for (var i = 0; i < items.Children.Count; i++)
        {
            var path = $"{hooks.PathOf(list)}[{i}]";
            var item = SpecMapping.AsMapping(items.Children[i], path, $"hooks.{list}[]", errors, "{ name: smoke, run: ./smoke.sh, timeout: 5m }");
            if (item is null)
            {
                continue;
            }

            var name = ReadItemName(item, "hook", "smoke");
            if (name is not null)
            {
                if (_hooks.TryGetValue(name, out var first))
                {
                    errors.Add(item.Get("name")!, item.PathOf("name"),
                        $"hook name '{name}' is already used on line {first.Node.Start.Line} (hooks.{first.List}).",
                        "give each hook a name of its own; names are unique across all hook lists.");
                }
                else
                {
                    _hooks[name] = (list, item.Get("name")!);
                }
            }

            var run = ReadCommandLine(item, "add run: with the command line to execute, e.g. run: ./smoke.sh {preview}.");
            var defaults = new HookSpec { Name = name ?? "", Run = run ?? "" };
            result.Add(defaults with { Timeout = item.Duration("timeout") ?? defaults.Timeout });
        }

        return result;
    }

    private string? ReadCommandLine(SpecMapping item, string fix)
    {
        var run = item.Text("run", fix, required: true);
        if (run is not null && string.IsNullOrWhiteSpace(run))
        {
            errors.Add(item.Get("run")!, item.PathOf("run"), "run is empty.", fix);
            return null;
        }

        return run;
    }

    private static RollbackSpec ReadRollback(SpecMapping root)
    {
        var defaults = new RollbackSpec();
        var rollback = root.Mapping("rollback", SpecKeys.Rollback, "rollback: { automatic: true, onInconclusive: rollback }");
        if (rollback is null)
        {
            return defaults;
        }

        return defaults with
        {
            Automatic = rollback.Bool("automatic") ?? defaults.Automatic,
            OnInconclusive = rollback.Enum("onInconclusive", SpecKeys.InconclusiveActions) ?? defaults.OnInconclusive,
        };
    }

    private static TimeoutsSpec ReadTimeouts(SpecMapping root)
    {
        var defaults = new TimeoutsSpec();
        var timeouts = root.Mapping("timeouts", SpecKeys.Timeouts, "timeouts: { healthy: 5m, drain: 6m, promote: 24h, total: 1h }");
        if (timeouts is null)
        {
            return defaults;
        }

        return defaults with
        {
            Healthy = timeouts.Duration("healthy") ?? defaults.Healthy,
            Drain = timeouts.Duration("drain") ?? defaults.Drain,
            Promote = timeouts.Duration("promote") ?? defaults.Promote,
            Total = timeouts.Duration("total") ?? defaults.Total,
        };
    }

    /// <summary>Reports a name that refers to no gate, suggesting the closest defined one.</summary>
    private void CheckGateReference(YamlNode node, string path, string name)
    {
        if (_gates.ContainsKey(name))
        {
            return;
        }

        var close = DidYouMean.Closest(name, _gates.Keys);
        if (close is not null)
        {
            errors.Add(node, path, $"no gate is named '{name}'; did you mean '{close}'?", $"write {close}.");
        }
        else if (_gates.Count == 0)
        {
            errors.Add(node, path, $"no gate is named '{name}'; the spec defines no gates.",
                $"define it under gates: (e.g. - name: {name}, with a metrics, http or command source and a condition), or remove this reference.");
        }
        else
        {
            errors.Add(node, path, $"no gate is named '{name}'.",
                $"define it under gates:, or use one of the defined gates: {SpecValues.OneOf([.. _gates.Keys])}.");
        }
    }

    /// <summary>Reads a list of gate names (rolling.gates, blueGreen.*Gates), checking each exists.</summary>
    private List<string> ReadGateNames(SpecMapping owner, string key)
    {
        var result = new List<string>();
        var list = owner.List(key, "[error-rate]");
        if (list is null)
        {
            return result;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{owner.PathOf(key)}[{i}]";
            var name = SpecValues.Text(errors, list.Children[i], path, "write the name of a gate defined under gates:.");
            if (name is not null)
            {
                CheckGateReference(list.Children[i], path, name);
                result.Add(name);
            }
        }

        return result;
    }
}
