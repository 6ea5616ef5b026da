using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

// Nuke.Common cannot be restored here, so this file stands in for the slice of its API that Build.cs
// uses: NukeBuild, Target, ITargetDefinition, [Parameter] and Execute<T>. The names match Nuke's on
// purpose: moving to Nuke.Common means deleting this file and adding the package reference.

/// <summary>A target configures its own definition, as in Nuke: <c>Target Compile => _ => _.DependsOn(Restore)...</c>.</summary>
internal delegate ITargetDefinition Target(ITargetDefinition definition);

internal interface ITargetDefinition
{
    ITargetDefinition Description(string description);

    /// <summary>Runs these first and pulls them into the plan.</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>Ordering only: when both are in the plan, this target runs first.</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>Ordering only: when both are in the plan, this target runs last.</summary>
    ITargetDefinition After(params Target[] targets);

    ITargetDefinition Executes(Action action);
}

/// <summary>Marks a field or property that can be set from the command line, the environment or .nuke/parameters.json.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
internal sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

internal abstract class NukeBuild
{
    /// <summary>Set before the build is constructed, so field initialisers may use it.</summary>
    public static string RootDirectory { get; internal set; } = Directory.GetCurrentDirectory();

    // Nuke recognises each CI host by its own variables; every host we run on sets CI=true, which is all we need.
    public static bool IsServerBuild { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsLocalBuild => !IsServerBuild;

    protected static int Execute<T>(params Expression<Func<T, Target>>[] defaultTargets)
        where T : NukeBuild, new()
        => TargetRunner.Run<T>(Environment.GetCommandLineArgs()[1..], [.. defaultTargets.Select(TargetName)]);

    static string TargetName<T>(Expression<Func<T, Target>> expression) =>
        expression.Body is MemberExpression member
            ? member.Member.Name
            : throw new ArgumentException("Default targets are written as x => x.Compile.", nameof(expression));
}

internal static class TargetRunner
{
    const int Success = 0;
    const int TargetFailed = 1;
    const int UsageError = 2;

    static readonly JsonSerializerOptions SchemaFormat = new() { WriteIndented = true, NewLine = "\n" };

    public static int Run<T>(string[] args, IReadOnlyList<string> defaultTargets)
        where T : NukeBuild, new()
    {
        try
        {
            var parameters = BuildParameter.Discover(typeof(T));
            var flags = parameters.Where(p => p.Type == typeof(bool)).Select(p => p.Name).Append("plan").Append("help");
            var commandLine = CommandLine.Parse(args, flags);
            NukeBuild.RootDirectory = ResolveRoot(commandLine.Values("root"));

            var build = new T();
            var targets = TargetDefinition.Discover(build);
            CheckForCycles(targets);
            WriteSchema(parameters);

            if (commandLine.Has("help"))
            {
                PrintHelp(targets, parameters, build, defaultTargets);
                return Success;
            }

            BuildParameter.Inject(build, parameters, commandLine);

            var invoked = Resolve(targets, commandLine.Targets.Concat(commandLine.Values("target") ?? []));
            if (invoked.Count == 0)
            {
                invoked = Resolve(targets, defaultTargets);
            }

            var plan = Order(targets, invoked);
            var skipped = commandLine.Values("skip") switch
            {
                null => [],
                [] => plan.Except(invoked).ToHashSet(),
                var names => Resolve(targets, names).ToHashSet(),
            };

            if (commandLine.Has("plan"))
            {
                PrintPlan(plan, skipped, parameters.Select(p => $"{p.Name}={p.Show(build)}"));
                return Success;
            }

            return Execute(plan, skipped);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("Run ./build.sh --help for targets and parameters.");
            return UsageError;
        }
    }

    static string ResolveRoot(IReadOnlyList<string>? rootOption)
    {
        if (rootOption is not null)
        {
            return rootOption is [var root]
                ? Path.GetFullPath(root)
                : throw new UsageException("--root takes one path.");
        }

        // Nuke looks upwards for the .nuke/ marker. Starting from the build's own output
        // (build/bin/...) finds this repository whichever directory build.sh was called from.
        return FindMarkedRoot(AppContext.BaseDirectory)
            ?? FindMarkedRoot(Directory.GetCurrentDirectory())
            ?? throw new UsageException("no .nuke/ directory above the build or the working directory; pass --root <path>.");
    }

    static string? FindMarkedRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    static List<TargetDefinition> Resolve(IReadOnlyList<TargetDefinition> targets, IEnumerable<string> names) =>
        [.. names
            .SelectMany(name => name.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(name => targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"unknown target '{name}'; targets are {string.Join(", ", targets.Select(t => t.Name))}."))
            .Distinct()];

    /// <summary>Everything that must run before <paramref name="target"/> if both are in a plan.</summary>
    static IEnumerable<TargetDefinition> Predecessors(TargetDefinition target, IReadOnlyList<TargetDefinition> targets) =>
        target.Dependencies
            .Concat(target.RunsAfter)
            .Concat(targets.Where(other => other.RunsBefore.Contains(target)));

    // Checked over the whole graph, not just the plan, so a cycle is reported even when it is not invoked.
    static void CheckForCycles(IReadOnlyList<TargetDefinition> targets)
    {
        var finished = new HashSet<TargetDefinition>();
        var path = new List<TargetDefinition>();

        void Visit(TargetDefinition target)
        {
            if (finished.Contains(target))
            {
                return;
            }

            var start = path.IndexOf(target);
            if (start >= 0)
            {
                var cycle = path[start..].Append(target).Select(t => t.Name);
                throw new UsageException($"target cycle: {string.Join(" -> ", cycle)} (each needs the next to run first).");
            }

            path.Add(target);
            foreach (var predecessor in Predecessors(target, targets))
            {
                Visit(predecessor);
            }

            path.RemoveAt(path.Count - 1);
            finished.Add(target);
        }

        foreach (var target in targets)
        {
            Visit(target);
        }
    }

    // Invoked targets plus their dependencies, in an order that honours DependsOn, Before and After.
    // Ties keep declaration order, so the plan reads like Build.cs. The graph is acyclic by now.
    static List<TargetDefinition> Order(IReadOnlyList<TargetDefinition> targets, IEnumerable<TargetDefinition> invoked)
    {
        var selected = new HashSet<TargetDefinition>();
        var pending = new Stack<TargetDefinition>(invoked);
        while (pending.TryPop(out var target))
        {
            if (selected.Add(target))
            {
                target.Dependencies.ToList().ForEach(pending.Push);
            }
        }

        var order = new List<TargetDefinition>();
        while (order.Count < selected.Count)
        {
            order.Add(targets.First(t =>
                selected.Contains(t)
                && !order.Contains(t)
                && Predecessors(t, targets).Where(selected.Contains).All(order.Contains)));
        }

        return order;
    }

    static int Execute(List<TargetDefinition> plan, HashSet<TargetDefinition> skipped)
    {
        // The child `dotnet` gets Ctrl+C too and stops; staying alive lets us mark the rest NotRun and print the summary.
        var interrupted = false;
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupted = true;
        };

        var results = new List<(TargetDefinition Target, TargetStatus Status, TimeSpan Duration)>();
        var failed = false;
        foreach (var target in plan)
        {
            if (skipped.Contains(target))
            {
                results.Add((target, TargetStatus.Skipped, TimeSpan.Zero));
                continue;
            }

            if (failed || interrupted)
            {
                results.Add((target, TargetStatus.NotRun, TimeSpan.Zero));
                continue;
            }

            Console.WriteLine();
            Console.WriteLine($"==> {target.Name}");
            var stopwatch = Stopwatch.StartNew();
            try
            {
                target.Action();
                results.Add((target, TargetStatus.Succeeded, stopwatch.Elapsed));
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or Win32Exception)
            {
                // Expected failures (a tool exited non-zero, a file was locked) are told by their message;
                // any other exception is a bug in the build and keeps its stack trace.
                Console.Error.WriteLine($"Target {target.Name} failed: {e.Message}");
                results.Add((target, TargetStatus.Failed, stopwatch.Elapsed));
                failed = true;
            }
        }

        PrintSummary(results);
        return failed || results.Any(r => r.Status == TargetStatus.NotRun) ? TargetFailed : Success;
    }

    static void PrintSummary(List<(TargetDefinition Target, TargetStatus Status, TimeSpan Duration)> results)
    {
        var nameWidth = Math.Max("Target".Length, results.Max(r => r.Target.Name.Length)) + 4;
        var line = new string('-', nameWidth + 22);

        Console.WriteLine();
        Console.WriteLine(line.Replace('-', '='));
        Console.WriteLine($"{"Target".PadRight(nameWidth)}{"Status",-12}{"Duration",10}");
        Console.WriteLine(line);
        foreach (var (target, status, duration) in results)
        {
            var shown = status is TargetStatus.Succeeded or TargetStatus.Failed ? Format(duration) : "";
            Console.WriteLine($"{target.Name.PadRight(nameWidth)}{status,-12}{shown,10}".TrimEnd());
        }

        Console.WriteLine(line);
        Console.WriteLine($"{"Total".PadRight(nameWidth)}{"",-12}{Format(new TimeSpan(results.Sum(r => r.Duration.Ticks))),10}");
        Console.WriteLine(line.Replace('-', '='));
        Console.WriteLine(results.Any(r => r.Status is TargetStatus.Failed or TargetStatus.NotRun) ? "Build failed." : "Build succeeded.");
    }

    static string Format(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}:{duration.Seconds:00}.{duration.Milliseconds / 100}");

    static void PrintPlan(List<TargetDefinition> plan, HashSet<TargetDefinition> skipped, IEnumerable<string> parameters)
    {
        Console.WriteLine($"Parameters: {string.Join(", ", parameters)}");
        Console.WriteLine("Execution plan:");
        for (var i = 0; i < plan.Count; i++)
        {
            var note = skipped.Contains(plan[i]) ? "  (skipped)" : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i + 1}. {plan[i].Name}{note}"));
        }
    }

    static void PrintHelp(
        IReadOnlyList<TargetDefinition> targets,
        IReadOnlyList<BuildParameter> parameters,
        NukeBuild build,
        IReadOnlyList<string> defaultTargets)
    {
        Console.WriteLine("Usage: ./build.sh [targets] [--skip [targets]] [--plan] [--help] [parameters]");
        Console.WriteLine();
        Console.WriteLine($"Targets (default: {string.Join('+', defaultTargets)}):");
        var targetWidth = targets.Max(t => t.Name.Length) + 2;
        foreach (var target in targets)
        {
            var relations = target.Dependencies.Select(t => t.Name).ToList() is { Count: > 0 } needs
                ? $"  [needs {string.Join(", ", needs)}]"
                : "";
            relations += target.RunsBefore.Count > 0 ? $"  [before {string.Join(", ", target.RunsBefore.Select(t => t.Name))}]" : "";
            relations += target.RunsAfter.Count > 0 ? $"  [after {string.Join(", ", target.RunsAfter.Select(t => t.Name))}]" : "";
            Console.WriteLine($"  {target.Name.PadRight(targetWidth)}{target.Summary}{relations}");
        }

        Console.WriteLine();
        Console.WriteLine("Parameters (--name on the command line, else env NAME or NUKE_NAME, else .nuke/parameters.json):");
        var parameterWidth = parameters.Max(p => p.Usage.Length) + 2;
        foreach (var parameter in parameters)
        {
            Console.WriteLine($"  {parameter.Usage.PadRight(parameterWidth)}{parameter.Description} [default: {parameter.Show(build)}]");
        }

        Console.WriteLine();
        Console.WriteLine("Options:");
        Console.WriteLine("  --target A+B    Targets to run; also positional: ./build.sh A B or ./build.sh A+B.");
        Console.WriteLine("  --skip [A+B]    Skip the named targets; with no names, skip every target that was not invoked.");
        Console.WriteLine("  --plan          Print the execution order without running anything.");
        Console.WriteLine("  --root <path>   Repository root; default: the directory holding .nuke/.");
        Console.WriteLine("  --help, -h      Show this help.");
        Console.WriteLine("A value that itself starts with -- is passed as --name=value.");
        Console.WriteLine($"Exit codes: {Success} success, {TargetFailed} a target failed, {UsageError} bad command line or build definition.");
    }

    // Nuke keeps .nuke/build.schema.json current so editors complete .nuke/parameters.json; we do the same.
    static void WriteSchema(IReadOnlyList<BuildParameter> parameters)
    {
        var marker = Path.Combine(NukeBuild.RootDirectory, ".nuke");
        if (!Directory.Exists(marker))
        {
            return;
        }

        var properties = new JsonObject { ["$schema"] = new JsonObject { ["type"] = "string" } };
        foreach (var parameter in parameters)
        {
            properties[parameter.Name] = parameter.Schema();
        }

        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-04/schema#",
            ["title"] = "Build Schema",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };

        var path = Path.Combine(marker, "build.schema.json");
        var text = schema.ToJsonString(SchemaFormat) + "\n";
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            File.WriteAllText(path, text);
        }
    }
}

internal sealed class TargetDefinition(string name) : ITargetDefinition
{
    readonly List<Target> _dependsOn = [];
    readonly List<Target> _before = [];
    readonly List<Target> _after = [];

    public string Name { get; } = name;

    public string Summary { get; private set; } = "";

    public Action Action { get; private set; } = () => { };

    public IReadOnlyList<TargetDefinition> Dependencies { get; private set; } = [];

    public IReadOnlyList<TargetDefinition> RunsBefore { get; private set; } = [];

    public IReadOnlyList<TargetDefinition> RunsAfter { get; private set; } = [];

    // Every Target property builds a fresh delegate on each read, but its lambda compiles to one
    // method per property; that method is what identifies a target referenced in DependsOn/Before/After.
    public static List<TargetDefinition> Discover(NukeBuild build)
    {
        var properties = build.GetType()
            .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target))
            .OrderBy(p => p.MetadataToken);

        var definitions = new List<TargetDefinition>();
        var byMethod = new Dictionary<MethodInfo, TargetDefinition>();
        foreach (var property in properties)
        {
            var target = (Target)property.GetValue(build)!;
            var definition = new TargetDefinition(property.Name);
            target(definition);
            definitions.Add(definition);
            byMethod[target.Method] = definition;
        }

        TargetDefinition Find(Target target) =>
            byMethod.TryGetValue(target.Method, out var found)
                ? found
                : throw new UsageException("a target refers to a Target that is not a property of the build.");

        foreach (var definition in definitions)
        {
            definition.Dependencies = [.. definition._dependsOn.Select(Find)];
            definition.RunsBefore = [.. definition._before.Select(Find)];
            definition.RunsAfter = [.. definition._after.Select(Find)];
        }

        return definitions;
    }

    ITargetDefinition ITargetDefinition.Description(string description)
    {
        Summary = description;
        return this;
    }

    ITargetDefinition ITargetDefinition.DependsOn(params Target[] targets)
    {
        _dependsOn.AddRange(targets);
        return this;
    }

    ITargetDefinition ITargetDefinition.Before(params Target[] targets)
    {
        _before.AddRange(targets);
        return this;
    }

    ITargetDefinition ITargetDefinition.After(params Target[] targets)
    {
        _after.AddRange(targets);
        return this;
    }

    ITargetDefinition ITargetDefinition.Executes(Action action)
    {
        Action = action;
        return this;
    }
}

/// <summary>A [Parameter] member of the build: a string, a bool flag or an enum.</summary>
internal sealed class BuildParameter
{
    readonly MemberInfo _member;

    BuildParameter(MemberInfo member, string description)
    {
        _member = member;
        Description = description;
        Type = member is FieldInfo field ? field.FieldType : ((PropertyInfo)member).PropertyType;
        if (Type != typeof(string) && Type != typeof(bool) && !Type.IsEnum)
        {
            throw new UsageException($"parameter {Name} is a {Type.Name}; only string, bool and enum parameters are supported.");
        }
    }

    public string Name => _member.Name;

    public string Description { get; }

    public Type Type { get; }

    /// <summary>Nuke's spelling: BenchArgs is --bench-args.</summary>
    public string Option => "--" + string.Concat(Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + c : c.ToString())).ToLowerInvariant();

    public string Usage =>
        Type == typeof(bool) ? Option
        : Type.IsEnum ? $"{Option} <{string.Join('|', Enum.GetNames(Type))}>"
        : $"{Option} <value>";

    public static List<BuildParameter> Discover(Type buildType)
    {
        const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        return [.. buildType.GetFields(Members).Cast<MemberInfo>()
            .Concat(buildType.GetProperties(Members))
            .Select(member => (member, attribute: member.GetCustomAttribute<ParameterAttribute>()))
            .Where(pair => pair.attribute is not null)
            .OrderBy(pair => pair.member.MetadataToken)
            .Select(pair => new BuildParameter(pair.member, pair.attribute!.Description))];
    }

    /// <summary>Applies .nuke/parameters.json, then the environment, then the command line: the later wins.</summary>
    public static void Inject(NukeBuild build, IReadOnlyList<BuildParameter> parameters, CommandLine commandLine)
    {
        BuildParameter Find(string name, string source) =>
            parameters.FirstOrDefault(p => string.Equals(p.Name, CommandLine.Key(name), StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"unknown parameter '{name}' in {source}.");

        var file = Path.Combine(NukeBuild.RootDirectory, ".nuke", "parameters.json");
        if (File.Exists(file))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var property in json.RootElement.EnumerateObject().Where(p => p.Name != "$schema"))
            {
                var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                Find(property.Name, ".nuke/parameters.json").Set(build, value, ".nuke/parameters.json");
            }
        }

        foreach (var parameter in parameters)
        {
            var snake = string.Concat(parameter.Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
            var flat = parameter.Name.ToUpperInvariant();
            foreach (var variable in new[] { "NUKE_" + snake, "NUKE_" + flat, snake, flat }.Distinct())
            {
                if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
                {
                    parameter.Set(build, value, $"environment variable {variable}");
                    break;
                }
            }
        }

        foreach (var (name, values) in commandLine.Options.Where(o => !CommandLine.Reserved.Contains(o.Key)))
        {
            var parameter = Find(name, "the command line");
            var value = values switch
            {
                [] => null,
                [var single] => single,
                _ => throw new UsageException($"{parameter.Option} takes one value, got {values.Count}: {string.Join(' ', values)}."),
            };
            parameter.Set(build, value, "the command line");
        }
    }

    public string Show(NukeBuild build) =>
        (_member is FieldInfo field ? field.GetValue(build) : ((PropertyInfo)_member).GetValue(build)) switch
        {
            null or "" => "none",
            bool flag => flag ? "true" : "false",
            var value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };

    public JsonObject Schema()
    {
        var schema = new JsonObject
        {
            ["type"] = Type == typeof(bool) ? "boolean" : "string",
            ["description"] = Description,
        };
        if (Type.IsEnum)
        {
            schema["enum"] = new JsonArray([.. Enum.GetNames(Type).Select(n => JsonValue.Create(n))]);
        }

        return schema;
    }

    void Set(NukeBuild build, string? text, string source)
    {
        object value;
        if (Type == typeof(bool))
        {
            // A bare flag (--faulty) means true.
            value = text switch
            {
                null or "" or "1" => true,
                "0" => false,
                _ when bool.TryParse(text, out var flag) => flag,
                _ => throw new UsageException($"{Option} from {source}: '{text}' is not true or false."),
            };
        }
        else if (text is null)
        {
            throw new UsageException($"{Option} from {source} needs a value.");
        }
        else if (Type.IsEnum)
        {
            value = Enum.TryParse(Type, text, ignoreCase: true, out var parsed) && Enum.IsDefined(Type, parsed!)
                ? parsed!
                : throw new UsageException($"{Option} from {source}: '{text}' is not one of {string.Join(", ", Enum.GetNames(Type))}.");
        }
        else
        {
            value = text;
        }

        // Nuke parameters are usually readonly fields; reflection may still set them after construction.
        if (_member is FieldInfo field)
        {
            field.SetValue(build, value);
        }
        else
        {
            ((PropertyInfo)_member).SetValue(build, value);
        }
    }
}

/// <summary>
/// Positional words are targets (A, A+B); every --name starts an option whose values run up to the next --name.
/// Flags (--plan, --help, bool parameters) take at most a true/false, so `--plan Test` still names a target.
/// --name=value keeps a value that itself starts with --. Option names compare without dashes or case.
/// </summary>
internal sealed class CommandLine
{
    public static readonly IReadOnlySet<string> Reserved =
        new HashSet<string>(["target", "skip", "plan", "help", "root"], StringComparer.OrdinalIgnoreCase);

    public List<string> Targets { get; } = [];

    public Dictionary<string, List<string>> Options { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static CommandLine Parse(string[] args, IEnumerable<string> flags)
    {
        var flagKeys = flags.Select(Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var commandLine = new CommandLine();
        List<string>? open = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "-?")
            {
                commandLine.Options.TryAdd("help", []);
                open = null;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                (open ?? commandLine.Targets).Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = Key(equals < 0 ? arg[2..] : arg[2..equals]);
            if (name.Length == 0)
            {
                throw new UsageException("a bare -- is not an option; pass values as --name=value.");
            }

            if (!commandLine.Options.TryGetValue(name, out var values))
            {
                commandLine.Options[name] = values = [];
            }

            open = null;
            if (equals >= 0)
            {
                values.Add(arg[(equals + 1)..]);
            }
            else if (flagKeys.Contains(name))
            {
                if (i + 1 < args.Length && bool.TryParse(args[i + 1], out _))
                {
                    values.Add(args[++i]);
                }
            }
            else
            {
                open = values;
            }
        }

        return commandLine;
    }

    public static string Key(string option) => option.Replace("-", "", StringComparison.Ordinal);

    public bool Has(string option) => Options.ContainsKey(option);

    public List<string>? Values(string option) => Options.GetValueOrDefault(option);
}

internal enum TargetStatus
{
    Succeeded,
    Failed,
    Skipped,
    NotRun,
}

/// <summary>The command line or the build definition is wrong; reported as one line, without a stack trace.</summary>
internal sealed class UsageException(string message) : Exception(message);
