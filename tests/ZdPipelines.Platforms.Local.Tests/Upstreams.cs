using System.Net;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Local.Samples;

namespace ZdPipelines.Platforms.Local.Tests;

/// <summary>Real sample apps to put behind the proxy, and a client to call through it.</summary>
internal sealed class Upstreams : IAsyncDisposable
{
    /// <summary>Fast checks keep the tests quick: healthy within about 200 ms of a start.</summary>
    public static readonly HealthCheckSpec FastHealth = new()
    {
        Interval = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromMilliseconds(500),
        HealthyThreshold = 2,
        UnhealthyThreshold = 2,
    };

    private Upstreams(IReadOnlyList<SampleApp> stable, IReadOnlyList<SampleApp> candidate)
    {
        Stable = stable;
        Candidate = candidate;
    }

    public IReadOnlyList<SampleApp> Stable { get; }

    public IReadOnlyList<SampleApp> Candidate { get; }

    public HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<Upstreams> StartAsync(int stable, int candidate, SampleAppOptions? stableOptions = null, SampleAppOptions? candidateOptions = null)
    {
        var s = await StartAppsAsync(stable, stableOptions ?? new SampleAppOptions { Version = "v1" });
        var c = await StartAppsAsync(candidate, candidateOptions ?? new SampleAppOptions { Version = "v2" });
        return new Upstreams(s, c);
    }

    public static async Task<List<SampleApp>> StartAppsAsync(int count, SampleAppOptions options)
    {
        var apps = new List<SampleApp>();
        for (var i = 0; i < count; i++)
        {
            var app = new SampleApp(options, TimeProvider.System);
            await app.StartAsync(CancellationToken.None);
            apps.Add(app);
        }

        return apps;
    }

    /// <summary>Sends <paramref name="count"/> GET / one after another; answers are counted by version, failures by status.</summary>
    public async Task<Dictionary<string, int>> SendAsync(Uri address, int count)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            using var response = await Client.GetAsync(address);
            var body = (await response.Content.ReadAsStringAsync()).Trim();
            var key = response.StatusCode == HttpStatusCode.OK ? body.Replace("hello from ", "", StringComparison.Ordinal) : $"HTTP {(int)response.StatusCode}";
            seen[key] = seen.GetValueOrDefault(key) + 1;
        }

        return seen;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var app in Stable.Concat(Candidate))
        {
            await app.DisposeAsync();
        }
    }
}
