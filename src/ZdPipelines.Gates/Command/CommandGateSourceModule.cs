using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;

namespace ZdPipelines.Gates.Command;

/// <summary>The command gate source: any platform, any check a shell can run.</summary>
public sealed class CommandGateSourceModule : IGateSourceModule
{
    private const string RunFix = "add run: with the command line to execute, e.g. run: ./check.sh.";

    private static readonly IReadOnlyList<string> Keys = ["run", "timeout", "measure"];

    private static readonly IReadOnlyList<(string Name, CommandMeasure Value)> Measures = [("exitCode", CommandMeasure.ExitCode), ("stdout", CommandMeasure.Stdout)];

    public string Key => CommandGateOptions.Key;

    public string Reads => "runs a command";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(CommandGateSourceModule), "command.schema.json");

    /// <summary>The keys and enumerations of the block, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["gates[].command"] = Keys };

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Enums { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["gates[].command.measure"] = SpecNames.Of(Measures) };

    public GateSourceOptions? Bind(SpecMapping gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var command = gate.RequiredMapping(Key, Keys, "command: { run: ./check.sh, timeout: 1m }", "add command: { run: ./check.sh }.");
        if (command is null)
        {
            return null;
        }

        var defaults = new CommandGateOptions { Run = command.Text("run", RunFix, required: true) ?? "" };
        return defaults with
        {
            Timeout = command.Duration("timeout") ?? defaults.Timeout,
            Measure = command.Enum("measure", Measures) ?? defaults.Measure,
        };
    }

    public void Validate(GateSourceOptions options, string path, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var command = (CommandGateOptions)options;
        SpecValidator.CheckCommandLine(command.Run, $"{path}.run", RunFix, problems);
        problems.CheckPositive($"{path}.timeout", command.Timeout);
    }

    public IGateSource? CreateSource(IPlatform platform, TimeProvider time) => new CommandGateSource(time);
}
