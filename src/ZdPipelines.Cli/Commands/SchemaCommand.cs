using System.CommandLine;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Hosting;

namespace ZdPipelines.Cli.Commands;

/// <summary>`zdp schema`: the JSON Schema of zdp.yml for the platforms this zdp offers (what schema/zdp.schema.json holds).</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema", "Print the JSON Schema of zdp.yml (for editor completion); schema/zdp.schema.json is this output.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            await parse.InvocationConfiguration.Output.WriteAsync(SpecSchema.Assemble(ZdpModules.All).AsMemory(), cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
