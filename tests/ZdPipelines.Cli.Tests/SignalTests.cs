using System.Diagnostics;
using System.Globalization;
using ZdPipelines.Cli.Tests.Support;
using ZdPipelines.Platforms.Local.Samples;

namespace ZdPipelines.Cli.Tests;

/// <summary>The real zdp process, stopped the way CI runners and `timeout` stop it: SIGTERM must roll back, then exit 4.</summary>
public sealed class SignalTests
{
    [Theory]
    [InlineData("TERM", false)]
    [InlineData("INT", false)]
    // A shell starts background jobs (`zdp deploy &`) with SIGINT ignored; zdp must still roll back on it.
    [InlineData("INT", true)]
    public async Task A_signal_during_a_deployment_rolls_back_and_exits_4(string signal, bool startedWithInterruptIgnored)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX signals; Windows CI hosts stop zdp with Ctrl+C, covered by the token test.
        }

        using var dir = new TempDirectory();
        using var zdp = ZdpProcess.Start(dir.Write("zdp.yml", Specs.Canary(pause: "5m")), "started: pause 5m", startedWithInterruptIgnored);

        await zdp.WaitUntilReachedAsync(TimeSpan.FromSeconds(90));
        await zdp.SignalAsync(signal);

        await zdp.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var text = zdp.Output;
        Assert.True(zdp.Process.ExitCode == ExitCodes.Cancelled, $"exit {zdp.Process.ExitCode}\n{text}");
        Assert.Contains("rolling back: cancelled", text);
        Assert.Contains("set candidate weight to 0 %", text);
    }

    /// <summary>
    /// `timeout -s TERM` signals the child, then its process group: two SIGTERMs milliseconds apart. The second must
    /// not abandon the rollback; afterwards the journal says rolled back and nothing holds the target.
    /// </summary>
    [Fact]
    public async Task Two_sigterms_10ms_apart_still_move_the_local_canary_back_and_leave_the_target_free()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory();
        var apps = new List<SampleApp>();
        try
        {
            foreach (var version in new[] { "v1", "v2" })
            {
                var app = new SampleApp(new SampleAppOptions { Version = version }, TimeProvider.System);
                await app.StartAsync(CancellationToken.None);
                apps.Add(app);
            }

            var spec = dir.Write("zdp.yml", $$"""
                name: shop
                platform:
                  type: local
                  local:
                    listen: 127.0.0.1:0
                    stable: { version: v1, targets: [{{apps[0].Url.ToString().TrimEnd('/')}}] }
                    candidate: { version: v2, targets: [{{apps[1].Url.ToString().TrimEnd('/')}}] }
                    healthCheck: { interval: 100ms, timeout: 80ms, healthyThreshold: 2 }
                    drainTimeout: 1s
                    stateDirectory: {{Path.Combine(dir.Path, "state")}}
                strategy:
                  canary:
                    steps:
                      - setWeight: 90
                      - pause: 5m
                """);
            using var zdp = ZdpProcess.Start(spec, "started: pause 5m");
            await zdp.WaitUntilReachedAsync(TimeSpan.FromSeconds(90));

            await zdp.SignalAsync("TERM");
            await Task.Delay(10);
            await zdp.SignalAsync("TERM");

            await zdp.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var text = zdp.Output;
            Assert.True(zdp.Process.ExitCode == ExitCodes.Cancelled, $"exit {zdp.Process.ExitCode}\n{text}");
            Assert.Contains("set candidate weight to 0 %", text);
            var status = await Zdp.RunAsync("status", "-f", spec, "--output", "plain");
            Assert.True(status.ExitCode == ExitCodes.Success, status.ToString());
            Assert.Contains("rolled back", status.Stdout);
            // The lease was released (lease.json is deleted on release), so nothing has to wait for it to lapse.
            Assert.True(File.Exists(Path.Combine(dir.Path, "state", "journal.json")));
            Assert.False(File.Exists(Path.Combine(dir.Path, "state", "lease.json")), "the lease was left held");
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>`dotnet zdp.dll deploy` as its own process, with its output collected and one line waited for.</summary>
    private sealed class ZdpProcess : IDisposable
    {
        private readonly System.Text.StringBuilder _output = new();
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ZdpProcess(Process process)
        {
            Process = process;
        }

        public Process Process { get; }

        /// <summary>Waits for the line; on a machine too loaded to get there in time, fails with what zdp printed so far.</summary>
        public async Task WaitUntilReachedAsync(TimeSpan timeout)
        {
            if (await Task.WhenAny(_reached.Task, Task.Delay(timeout)) != _reached.Task)
            {
                Assert.Fail($"zdp did not get to the awaited line within {timeout.TotalSeconds} s (exited: {Process.HasExited}); it printed:\n{Output}");
            }
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static ZdpProcess Start(string spec, string waitFor, bool interruptIgnored = false)
        {
            string[] zdpCommand = ["dotnet", Path.Combine(AppContext.BaseDirectory, "zdp.dll"), "deploy", "-f", spec, "--output", "plain"];
            // bash's `trap '' INT` then exec: the disposition a background job of a shell starts with.
            var start = new ProcessStartInfo(interruptIgnored ? "bash" : zdpCommand[0], interruptIgnored ? ["-c", "trap '' INT; exec \"$@\"", "zdp", .. zdpCommand] : zdpCommand[1..])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var zdp = new ZdpProcess(Process.Start(start)!);
            void Collect(string? line)
            {
                lock (zdp._output)
                {
                    zdp._output.AppendLine(line);
                }

                if (line?.Contains(waitFor, StringComparison.Ordinal) == true)
                {
                    zdp._reached.TrySetResult();
                }
            }

            zdp.Process.OutputDataReceived += (_, e) => Collect(e.Data);
            zdp.Process.ErrorDataReceived += (_, e) => Collect(e.Data);
            zdp.Process.BeginOutputReadLine();
            zdp.Process.BeginErrorReadLine();
            return zdp;
        }

        public async Task SignalAsync(string signal)
        {
            using var kill = Process.Start("kill", ["-" + signal, Process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }
}
