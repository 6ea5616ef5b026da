using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Hosting.Specs;

namespace ZdPipelines.Cli.Commands;

/// <summary>The options every zdp command takes. Recursive, so they can be written before or after the command name.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultSpecFile = SpecFileDefaults.FileName;

    public Option<string> File { get; } = new("--file", "-f")
    {
        Description = "The deployment spec to use.",
        DefaultValueFactory = _ => DefaultSpecFile,
        HelpName = "path",
        Recursive = true,
    };

    public Option<string?> Output { get; } = CreateOutput();

    /// <summary>The mode asked for with --output, or null to choose by whether stdout is a terminal.</summary>
    public OutputMode? RequestedMode(ParseResult parse) => parse.GetValue(Output) switch
    {
        "human" => OutputMode.Human,
        "plain" => OutputMode.Plain,
        "json" => OutputMode.Json,
        _ => null,
    };

    // A string with a fixed set of values rather than the enum: the parse error then lists the lowercase
    // names users type, not a C# type name.
    private static Option<string?> CreateOutput()
    {
        var option = new Option<string?>("--output", "-o")
        {
            Description = "human, plain or json. Default: human when stdout is a terminal, plain otherwise.",
            HelpName = "human|plain|json",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("human", "plain", "json");
        return option;
    }
}
