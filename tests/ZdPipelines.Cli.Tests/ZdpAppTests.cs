using ZdPipelines.Cli.Tests.Support;

namespace ZdPipelines.Cli.Tests;

public sealed class ZdpAppTests
{
    [Fact]
    public async Task An_unknown_command_exits_with_invalid_input_and_shows_usage()
    {
        var result = await Zdp.RunAsync("frobnicate");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("frobnicate", result.Stderr);
        Assert.Contains("Usage:", result.Stdout);
        Assert.Contains("deploy", result.Stdout);
    }

    [Fact]
    public async Task An_unknown_output_mode_is_invalid_input_naming_the_accepted_ones()
    {
        var result = await Zdp.RunAsync("plan", "--output", "xml");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("'json'", result.Stderr);
    }

    [Fact]
    public async Task Version_prints_the_version_and_succeeds()
    {
        var result = await Zdp.RunAsync("--version");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var result = await Zdp.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        foreach (var command in new[] { "deploy", "plan", "status", "promote", "abort", "resume", "rollback" })
        {
            Assert.Contains(command, result.Stdout);
        }
    }
}
