using System.Collections.Concurrent;
using ZdPipelines.Hosting.Hooks;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Cli.Tests.Hooks;

public sealed class ProcessHookRunnerTests
{
    private static readonly HookContext Context = new("shop-1", ["stable-1", "stable-2"], Rollback: true, "http://lb", "http://preview");

    [Fact]
    public async Task The_hook_gets_its_targets_deployment_and_rollback_flag_in_the_environment()
    {
        var result = await new ProcessHookRunner().RunAsync(
            new HookSpec { Name = "update", Run = "echo \"$ZDP_TARGETS|$ZDP_DEPLOYMENT_ID|$ZDP_ROLLBACK|$ZDP_ADDRESS|$ZDP_PREVIEW_ADDRESS\"" },
            Context, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("stable-1,stable-2|shop-1|1|http://lb|http://preview", result.Output.Trim());
    }

    [Fact]
    public async Task Address_placeholders_are_expanded_in_the_command()
    {
        var result = await new ProcessHookRunner().RunAsync(new HookSpec { Name = "smoke", Run = "echo {address} {preview}" }, Context, CancellationToken.None);

        Assert.Equal("http://lb http://preview", result.Output.Trim());
    }

    [Fact]
    public async Task Output_is_streamed_with_the_hook_name_and_kept_with_the_exit_code()
    {
        var lines = new ConcurrentQueue<string>();
        var runner = new ProcessHookRunner((hook, line) => lines.Enqueue($"{hook}: {line}"));

        var result = await runner.RunAsync(new HookSpec { Name = "migrate", Run = "echo one; echo two >&2; exit 4" }, Context, CancellationToken.None);

        Assert.Equal(4, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Contains("migrate: one", lines);
        Assert.Contains("migrate: two", lines);
        Assert.Contains("one", result.Output);
        Assert.Contains("two", result.Output);
    }

    [Fact]
    public async Task Cancellation_kills_the_hook_and_its_children()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // reads /proc
        }

        using var dir = new Support.TempDirectory();
        var pidFile = Path.Combine(dir.Path, "child.pid");
        using var cancel = new CancellationTokenSource();
        // A background child that records its pid, then the hook waits: cancel only once the child exists,
        // so the test does not depend on how fast the machine starts processes.
        var run = new ProcessHookRunner().RunAsync(
            new HookSpec { Name = "slow", Run = $"sh -c 'echo $$ > \"{pidFile}\"; exec sleep 30' & sleep 30" }, Context, cancel.Token);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(pidFile) || (await File.ReadAllTextAsync(pidFile)).Trim().Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the hook's child never started");
            await Task.Delay(20);
        }

        var child = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var gone = DateTime.UtcNow.AddSeconds(5);
        while (IsRunning(child) && DateTime.UtcNow < gone)
        {
            await Task.Delay(20);
        }

        Assert.False(IsRunning(child), $"child {child} of the cancelled hook kept running");
    }

    /// <summary>Alive and not a zombie waiting to be reaped by whoever inherited it.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not 'Z' and not 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
