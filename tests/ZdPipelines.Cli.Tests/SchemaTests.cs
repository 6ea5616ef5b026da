using ZdPipelines.Cli.Tests.Support;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Tests.Spec;

namespace ZdPipelines.Cli.Tests;

/// <summary>schema/zdp.schema.json is assembled from the modules zdp registers; the committed file must be that output.</summary>
public sealed class SchemaTests
{
    [Fact]
    public void The_committed_schema_is_the_one_assembled_from_the_registered_modules()
    {
        var committed = RepositoryFiles.Read("schema/zdp.schema.json").ReplaceLineEndings("\n");

        Assert.True(committed == SpecSchema.Assemble(ZdpModules.All),
            "schema/zdp.schema.json is out of date: run `dotnet run --project src/ZdPipelines.Cli -- schema > schema/zdp.schema.json`.");
    }

    [Fact]
    public async Task Zdp_schema_prints_the_assembled_schema()
    {
        var result = await Zdp.RunAsync("schema");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(SpecSchema.Assemble(ZdpModules.All), result.Stdout);
    }
}
