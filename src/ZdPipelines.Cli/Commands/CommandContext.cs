using System.CommandLine;
using ZdPipelines.Cli.Output;

namespace ZdPipelines.Cli.Commands;

/// <summary>What a command's body gets: its parsed arguments, where to write, which spec, and the clock.</summary>
internal sealed record CommandContext(ParseResult Parse, CommandOutput Output, string SpecPath, TimeProvider Time);
