using System.Diagnostics;
using ZdPipelines.Cli.Tests.Support;

namespace ZdPipelines.Cli.Tests;

/// <summary>The real zdp process, stopped the way CI runners stop it: SIGTERM must roll back, then exit 4.</summary>
public sealed class SignalTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_during_a_deployment_rolls_back_and_exits_4(string signal)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX signals; Windows CI hosts stop zdp with Ctrl+C, covered by the token test.
        }

        using var dir = new TempDirectory();
        var spec = dir.Write("zdp.yml", Specs.Canary(pause: "5m"));
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "zdp.dll"), "deploy", "-f", spec, "--output", "plain"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var zdp = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var paused = new TaskCompletionSource();
        zdp.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("started: pause 5m", StringComparison.Ordinal) == true)
            {
                paused.TrySetResult();
            }
        };
        zdp.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        zdp.BeginOutputReadLine();
        zdp.BeginErrorReadLine();

        await paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using (var kill = Process.Start("kill", ["-" + signal, zdp.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await zdp.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var text = output.ToString();
        Assert.True(zdp.ExitCode == ExitCodes.Cancelled, $"exit {zdp.ExitCode}\n{text}");
        Assert.Contains("rolling back: cancelled", text);
        Assert.Contains("set candidate weight to 0 %", text);
    }
}
