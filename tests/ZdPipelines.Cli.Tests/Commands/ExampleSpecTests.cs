using ZdPipelines.Cli.Tests.Support;

namespace ZdPipelines.Cli.Tests.Commands;

/// <summary>Every example in examples/ must stay valid: `zdp plan` prints a plan and changes nothing.</summary>
public sealed class ExampleSpecTests
{
    private static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ZdPipelines.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    /// <summary>The AWS and Azure examples name real cloud resources; their plans run against moto and the ARM emulator in those platforms' tests.</summary>
    public static TheoryData<string> Examples() => [.. Directory.GetFiles(Path.Combine(Root, "examples"), "*.yml")
        .Select(f => Path.GetFileName(f))
        .Where(f => !f.StartsWith("aws-", StringComparison.Ordinal) && !f.StartsWith("azure-", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Plan_of_each_example_prints_a_plan_and_changes_nothing(string example)
    {
        using var dir = new TempDirectory();
        // Copy the example so a stateDirectory relative to it lands in a temporary place.
        var spec = dir.Write(example, File.ReadAllText(Path.Combine(Root, "examples", example)));
        var before = Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Length;

        var result = await Zdp.RunAsync("plan", "-f", spec, "--output", "plain");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("steps:", result.Stdout);
        Assert.Contains("rollback path", result.Stdout);
        Assert.Contains("nothing was changed", result.Stdout);
        Assert.Equal(before, Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task The_plan_of_the_local_blue_green_example_points_the_preview_at_each_side_in_turn()
    {
        using var dir = new TempDirectory();
        var spec = dir.Write("local-blue-green.yml", File.ReadAllText(Path.Combine(Root, "examples", "local-blue-green.yml")));

        var result = await Zdp.RunAsync("plan", "-f", spec, "--output", "plain");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var steps = result.Stdout[..result.Stdout.IndexOf("rollback path", StringComparison.Ordinal)];
        Assert.Contains("2. point the preview route at candidate", steps);
        Assert.Contains("6. point the preview route at stable", steps);
        Assert.Contains("PreviewRoute", result.Stdout);
    }

    [Fact]
    public async Task A_broken_example_exits_2_and_names_the_field_and_line()
    {
        using var dir = new TempDirectory();
        var text = File.ReadAllText(Path.Combine(Root, "examples", "simulated-canary.yml")).Replace("setWeight: 10", "setWeight: 150", StringComparison.Ordinal);
        var spec = dir.Write("broken.yml", text);
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("setWeight: 150", StringComparison.Ordinal)) + 1;

        var result = await Zdp.RunAsync("plan", "-f", spec);

        Assert.True(result.ExitCode == ExitCodes.InvalidInput, result.ToString());
        Assert.Contains($"broken.yml:{line}:", result.All);
        Assert.Contains("setWeight", result.All);
    }
}
