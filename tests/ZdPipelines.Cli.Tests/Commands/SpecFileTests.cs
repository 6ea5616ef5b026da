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
    public async Task A_directory_as_the_spec_exits_2_naming_the_file_to_pass_instead()
    {
        using var dir = new TempDirectory();

        var result = await Zdp.RunAsync("deploy", "-f", dir.Path);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("is a directory, not a file", result.Stderr);
        Assert.Contains(Path.Combine(dir.Path, "zdp.yml"), result.Stderr);
        Assert.DoesNotContain("Access to the path", result.Stderr);
    }

    [Fact]
    public async Task A_spec_over_one_mebibyte_exits_2_without_reading_it_all()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", "name: shop\n# " + new string('x', 2 * 1024 * 1024) + "\n");

        var result = await Zdp.RunAsync("plan", "-f", spec);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("larger than 1024 KiB", result.Stderr);
    }

    [Fact]
    public async Task Dev_zero_as_the_spec_ends_in_a_message_not_in_running_out_of_memory()
    {
        if (!File.Exists("/dev/zero"))
        {
            return; // Windows has no /dev/zero.
        }

        var result = await Zdp.RunAsync("deploy", "-f", "/dev/zero");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("larger than 1024 KiB", result.Stderr);
    }

    [Fact]
    public async Task A_spec_from_a_pipe_such_as_process_substitution_is_read()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory();
        var fifo = Path.Combine(dir.Path, "zdp.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var writing = Task.Run(() => File.WriteAllText(fifo, Specs.Canary()));
        var result = await Zdp.RunAsync("plan", "-f", fifo, "--output", "plain");
        await writing;

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("set candidate weight to", result.Stdout);
    }

    [Fact]
    public async Task An_unclosed_flow_sequence_is_a_syntax_error_in_words_not_the_yaml_librarys_exception_text()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", "name: shop\nplatform: { type: simulated }\nstrategy:\n  canary:\n    steps: [ { setWeight: 10 }\n");

        var result = await Zdp.RunAsync("plan", "-f", spec);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("YAML syntax error", result.Stderr);
        Assert.DoesNotContain("Operation is not valid", result.Stderr);
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
