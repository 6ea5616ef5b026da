using ZdPipelines.Platforms.Simulated;
using ZdPipelines.Cli.Tests.Support;

namespace ZdPipelines.Cli.Tests.Commands;

public sealed class SpecFileTests
{
    private const string BadSpec = """
        name: shop
        platform:
          type: simulated
          simulated: { stableTargets: 2 }
        strategy:
          canary:
            steps:
              - setWeight: 150
              - pause: 5x
        """;

    [Theory]
    [InlineData("deploy")]
    [InlineData("plan")]
    public async Task A_bad_spec_exits_2_listing_every_error_with_field_and_line_before_any_platform_exists(string command)
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", BadSpec);

        var result = await Zdp.RunAsync(command, "-f", spec);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains($"{spec}:8:", result.Stderr);
        Assert.Contains("strategy.canary.steps[0].setWeight", result.Stderr);
        Assert.Contains($"{spec}:9:", result.Stderr);
        Assert.Contains("strategy.canary.steps[1].pause", result.Stderr);
        Assert.Contains("Fix:", result.Stderr);
        // Nothing else happened: no platform note, no plan, no deployment.
        Assert.DoesNotContain(SimulatedPlatformModule.MemoryNote, result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_missing_spec_file_exits_2_and_says_how_to_point_at_one()
    {
        using var dir = new TempDirectory();

        var result = await Zdp.RunAsync("deploy", "-f", Path.Combine(dir.Path, "nope.yml"));

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr);
        Assert.Contains("-f", result.Stderr);
    }

    [Fact]
    public async Task With_json_output_the_spec_errors_are_also_a_json_line_on_stdout()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", BadSpec);

        var result = await Zdp.RunAsync("plan", "-f", spec, "--output", "json");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.Equal("invalidSpec", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("errors").GetArrayLength());
        Assert.Equal(8, doc.RootElement.GetProperty("errors")[0].GetProperty("line").GetInt32());
    }
}
