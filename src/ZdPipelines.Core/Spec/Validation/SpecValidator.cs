using System.Text.RegularExpressions;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec.Reading;

namespace ZdPipelines.Core.Spec.Validation;

/// <summary>
/// Checks a spec's records, whatever built them (zdp.yml, a CI host's inputs, code), and reports every problem at
/// once: names, ranges, references between sections, and — through the platform and gate-source modules — each
/// block's own rules and how it fits the strategy. Problems carry a path; a spec read from a file also gets positions.
/// </summary>
public static partial class SpecValidator
{
    /// <summary>Every problem with a spec built in code (no positions); empty when it may be run.</summary>
    public static IReadOnlyList<SpecError> Validate(DeploymentSpec spec, ModuleCatalog modules)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(modules);
        var problems = new SpecProblems(null, spec.SourcePath);
        Validate(spec, modules, problems);
        return problems.Errors;
    }

    internal static void Validate(DeploymentSpec spec, ModuleCatalog modules, SpecProblems problems)
    {
        CheckName(spec.Name, problems);
        CheckPlatform(spec, modules, problems);
        var gates = CheckGates(spec, modules, problems);
        var hooks = CheckHooks(spec.Hooks, problems);
        CheckStrategy(spec, gates, hooks, problems);
        CheckTimeouts(spec.Timeouts, problems);
    }

    /// <summary>DNS-label shaped, so the name works as a file name, a lease key and a cloud resource tag.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceName();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ItemName();

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotNameChars();

    private static void CheckName(string name, SpecProblems problems)
    {
        if (problems.IsUnreadable("name"))
        {
            return;
        }

        if (name.Length == 0 && !problems.IsWritten("name"))
        {
            problems.AddMissing("name", "add name: my-service (lowercase letters, digits and '-').");
        }
        else if (!ServiceName().IsMatch(name))
        {
            problems.Add("name", $"'{name}' is not a valid name.",
                $"use 1 to 63 lowercase letters, digits and '-', starting with a letter or digit{SuggestName(name, 63)}.");
        }
    }

    private static void CheckPlatform(DeploymentSpec spec, ModuleCatalog modules, SpecProblems problems)
    {
        if (spec.Platform.Options is UnboundPlatformOptions || problems.IsUnreadable("platform.type"))
        {
            return;
        }

        if (modules.Platform(spec.Platform.Type) is not { } module)
        {
            problems.Add("platform.type", $"'{spec.Platform.Type}' is not one of {SpecValues.OneOf(modules.PlatformTypes)}.",
                $"use one of {SpecValues.OneOf(modules.PlatformTypes)}.");
            return;
        }

        module.Validate(spec.Platform.Options, spec, problems);
    }

    /// <summary>Checks a gate or hook name, at <paramref name="path"/>.</summary>
    private static void CheckItemName(string name, string path, string what, SpecProblems problems)
    {
        if (!problems.IsUnreadable(path) && (name.Length > 0 || problems.IsWritten(path)) && !ItemName().IsMatch(name))
        {
            problems.Add(path, $"'{name}' is not a valid {what} name.",
                $"use lowercase letters, digits and '-', starting with a letter or digit{SuggestName(name, int.MaxValue)}.");
        }
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

    private static void CheckTimeouts(TimeoutsSpec timeouts, SpecProblems problems)
    {
        problems.CheckPositive("timeouts.healthy", timeouts.Healthy);
        problems.CheckPositive("timeouts.drain", timeouts.Drain);
        problems.CheckPositive("timeouts.promote", timeouts.Promote);
        problems.CheckPositive("timeouts.total", timeouts.Total);
    }

    /// <summary>Hook names with the list each is in and the path of its name, for references and duplicates.</summary>
    private static Dictionary<string, (string List, string Path)> CheckHooks(HooksSpec hooks, SpecProblems problems)
    {
        var names = new Dictionary<string, (string List, string Path)>(StringComparer.Ordinal);
        foreach (var (list, items) in hooks.Lists)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var hook = items[i];
                var path = SpecPaths.Item($"hooks.{list}", i);
                if (problems.IsUnreadable(path) && hook.Name.Length == 0 && hook.Run.Length == 0)
                {
                    continue;
                }

                var namePath = $"{path}.name";
                CheckItemName(hook.Name, namePath, "hook", problems);
                if (hook.Name.Length == 0 && !problems.IsUnreadable(namePath) && !problems.IsWritten(namePath))
                {
                    problems.AddMissing(namePath, "give the hook a name, e.g. name: smoke.");
                }
                else if (hook.Name.Length > 0 && names.TryGetValue(hook.Name, out var first))
                {
                    problems.Add(namePath, $"hook name '{hook.Name}' is already used {problems.Where(first.Path)} (hooks.{first.List}).",
                        "give each hook a name of its own; names are unique across all hook lists.");
                }
                else if (hook.Name.Length > 0)
                {
                    names[hook.Name] = (list, namePath);
                }

                CheckCommandLine(hook.Run, $"{path}.run", "add run: with the command line to execute, e.g. run: ./smoke.sh {preview}.", problems);
                problems.CheckPositive($"{path}.timeout", hook.Timeout);
            }
        }

        return names;
    }

    /// <summary>A hook's or command gate's run: a command line that is not empty.</summary>
    public static void CheckCommandLine(string run, string path, string fix, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.IsUnreadable(path))
        {
            return;
        }

        if (run.Length == 0 && !problems.IsWritten(path))
        {
            problems.AddMissing(path, fix);
        }
        else if (string.IsNullOrWhiteSpace(run))
        {
            problems.Add(path, "run is empty.", fix);
        }
    }
}
