using ZdPipelines.Cli.Tests.Support;
using ZdPipelines.Hosting;
using ZdPipelines.Platforms.Local.Samples;

namespace ZdPipelines.Cli.Tests.Commands;

/// <summary>
/// A password planted in a gate URL (<c>http://user:password@host/</c>) appears nowhere zdp writes: not in any output
/// mode of plan, deploy (with a failing gate, so the URL is in a rollback reason too) and status, and not in any file of
/// the local platform's state directory (journal, lease, request log).
/// </summary>
public sealed class SecretOutputTests : IAsyncLifetime, IDisposable
{
    private const string Password = "planted-Pa55word-7f3c";

    private readonly List<SampleApp> _apps = [];
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync()
    {
        foreach (var version in new[] { "v1", "v2" })
        {
            var app = new SampleApp(new SampleAppOptions { Version = version }, TimeProvider.System);
            await app.StartAsync(CancellationToken.None);
            _apps.Add(app);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_url_password_is_masked_in_every_output_mode_and_every_file_zdp_writes()
    {
        var candidate = _apps[1].Url;
        var spec = _dir.Write("zdp.yml", $$"""
            name: shop
            platform:
              type: local
              local:
                listen: 127.0.0.1:0
                stable: { version: v1, targets: [{{_apps[0].Url.ToString().TrimEnd('/')}}] }
                candidate: { version: v2, targets: [{{candidate.ToString().TrimEnd('/')}}] }
                healthCheck: { interval: 100ms, timeout: 80ms, healthyThreshold: 2 }
                drainTimeout: 1s
                stateDirectory: {{Path.Combine(_dir.Path, "state")}}
            strategy:
              canary:
                steps:
                  - setWeight: 50
                  - gate: behind-auth
            gates:
              - name: behind-auth
                http: { url: "http://deployer:{{Password}}@{{candidate.Authority}}/", probes: 2, bodyContains: "not-in-any-answer" }
                condition: ">= 0.5"
                interval: 100ms
                count: 1
            """);

        var runs = new List<ZdpOutput>();
        foreach (var output in new[] { "human", "plain", "json" })
        {
            runs.Add(await Zdp.RunAsync("plan", "-f", spec, "--output", output));
            runs.Add(await Zdp.RunAsync("deploy", "-f", spec, "--output", output));
            runs.Add(await Zdp.RunAsync("status", "-f", spec, "--output", output));
        }

        Assert.All(runs.Where((_, i) => i % 3 == 1), r => Assert.True(r.ExitCode == ExitCodes.RolledBack, r.ToString()));
        var printed = string.Join("\n", runs.Select(r => r.Stdout + r.Stderr));
        var stored = Directory.GetFiles(Path.Combine(_dir.Path, "state"), "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        Assert.NotEmpty(stored);
        // The URL itself is shown (the plan lists the gate), so the password would have been there to leak.
        Assert.Contains("deployer:***@", printed, StringComparison.Ordinal);
        var leak = printed.IndexOf(Password, StringComparison.Ordinal);
        Assert.True(leak < 0, leak < 0 ? "" : printed.Substring(Math.Max(0, leak - 300), Math.Min(600, printed.Length - Math.Max(0, leak - 300))));
        Assert.All(stored, text => Assert.DoesNotContain(Password, text, StringComparison.Ordinal));
        // The journal keeps the rollback reason, which names the URL: masked there too.
        Assert.Contains(stored, text => text.Contains("deployer:***@", StringComparison.Ordinal));
    }
}
