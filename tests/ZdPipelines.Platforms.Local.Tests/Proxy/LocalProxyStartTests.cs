using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Local.Hosting;
using ZdPipelines.Platforms.Local.Proxy;

namespace ZdPipelines.Platforms.Local.Tests.Proxy;

/// <summary>The proxy's first moments: what a client that is already sending traffic to `listen` sees.</summary>
public sealed class LocalProxyStartTests
{
    /// <summary>Slower than the other tests' checks, so the time before the first verdict is wide enough to hit for sure.</summary>
    private static readonly HealthCheckSpec StartHealth = Upstreams.FastHealth with { Interval = TimeSpan.FromMilliseconds(250) };

    [Fact]
    public async Task Clients_sending_from_the_first_accepted_connection_get_no_answer_but_2xx()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 1);
        var port = FreePort();
        await using var proxy = Proxy(upstreams, $"127.0.0.1:{port}");
        var started = false;
        var answers = new ConcurrentQueue<Answer>();
        using var stop = new CancellationTokenSource();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var clients = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => HammerAsync(client, new Uri($"http://127.0.0.1:{port}/"), () => Volatile.Read(ref started), answers, stop.Token)))
            .ToArray();

        await proxy.StartAsync(CancellationToken.None);
        Volatile.Write(ref started, true);
        var atStart = string.Join(", ", proxy.State().Destinations.Select(d => $"{d.Id} {d.Health}"));
        // Long past the health checks' threshold: on a proxy that serves before its verdict, this is where 503s were.
        await Poll.UntilAsync(() => answers.Count(a => !a.SentBeforeStartReturned) >= 200, "200 answers after the start");
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        var bad = answers.Where(a => a.Status is < 200 or > 299).ToList();
        Assert.True(bad.Count == 0, $"{bad.Count} of {answers.Count} answers were not 2xx, first: {bad.FirstOrDefault()}; at start: {atStart}");
        // Proof that the clients were there before the proxy was ready: requests sent while StartAsync still ran got answers.
        Assert.Contains(answers, a => a.SentBeforeStartReturned);
    }

    [Fact]
    public async Task Start_returns_once_every_registered_destination_has_a_verdict()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 1);
        await upstreams.Stable[1].StopAsync(CancellationToken.None);
        await using var proxy = Proxy(upstreams, "127.0.0.1:0");

        await proxy.StartAsync(CancellationToken.None);

        Assert.Equal(
            [("stable-1", TargetHealth.Healthy), ("stable-2", TargetHealth.Unhealthy), ("candidate-1", TargetHealth.Healthy)],
            proxy.State().Destinations.Select(d => (d.Id, d.Health)));
    }

    [Fact]
    public async Task With_no_healthy_destination_at_start_the_proxy_serves_503_naming_each_destinations_health()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 0);
        foreach (var app in upstreams.Stable)
        {
            await app.StopAsync(CancellationToken.None);
        }

        await using var proxy = Proxy(upstreams, "127.0.0.1:0");
        await proxy.StartAsync(CancellationToken.None);
        using var response = await upstreams.Client.GetAsync(proxy.Address);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(
            "zdp local proxy: no healthy stable upstream (stable-1 unhealthy, stable-2 unhealthy)",
            (await response.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(1, proxy.Traffic(Side.Stable, TimeSpan.FromMinutes(1)).Errors);
    }

    [Fact]
    public async Task A_destination_that_never_settles_holds_the_start_only_for_the_rounds_a_verdict_can_take()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 1, candidate: 0);
        await using var flapping = await FlappingUpstream.StartAsync();
        await using var proxy = Proxy(upstreams, "127.0.0.1:0");
        proxy.AddDestination("stable-2", Side.Stable, flapping.Url);

        await proxy.StartAsync(CancellationToken.None);
        var probes = flapping.Probes;

        // Pass, fail, pass, …: never two alike in a row, so no verdict; the start waited the
        // healthyThreshold + unhealthyThreshold - 1 rounds a target that changes once needs, and no more.
        var rounds = StartHealth.HealthyThreshold + StartHealth.UnhealthyThreshold - 1;
        Assert.InRange(probes, rounds, rounds + 1);
        Assert.Equal(TargetHealth.Initial, proxy.State().Find("stable-2")!.Health);
        Assert.Equal(TargetHealth.Healthy, proxy.State().Find("stable-1")!.Health);
        Assert.Equal("hello from v1", (await upstreams.Client.GetStringAsync(proxy.Address)).Trim());
    }

    private readonly record struct Answer(int Status, string Body, bool SentBeforeStartReturned);

    /// <summary>
    /// GET / in a loop until stopped. A refused connection is no answer (nothing listens yet) and is retried a
    /// millisecond later: soon enough to be there as the socket opens, without starving the health checks of CPU.
    /// </summary>
    private static async Task HammerAsync(HttpClient client, Uri address, Func<bool> started, ConcurrentQueue<Answer> answers, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var before = !started();
            try
            {
                using var response = await client.GetAsync(address, CancellationToken.None);
                answers.Enqueue(new Answer((int)response.StatusCode, (await response.Content.ReadAsStringAsync(CancellationToken.None)).Trim(), before));
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                await Task.Delay(1, CancellationToken.None);
            }
        }
    }

    private static LocalProxy Proxy(Upstreams upstreams, string listen)
    {
        var proxy = new LocalProxy(new LocalProxyOptions { Listen = listen, HealthCheck = StartHealth }, TimeProvider.System);
        for (var i = 0; i < upstreams.Stable.Count; i++)
        {
            proxy.AddDestination($"stable-{i + 1}", Side.Stable, upstreams.Stable[i].Url);
        }

        for (var i = 0; i < upstreams.Candidate.Count; i++)
        {
            proxy.AddDestination($"candidate-{i + 1}", Side.Candidate, upstreams.Candidate[i].Url);
        }

        return proxy;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An upstream whose health checks alternate pass and fail, so thresholds of 2 never give a verdict.</summary>
    private sealed class FlappingUpstream : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _probes;

        private FlappingUpstream(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public int Probes => Volatile.Read(ref _probes);

        public static async Task<FlappingUpstream> StartAsync()
        {
            ListenOptions? bound = null;
            var builder = EmbeddedHost.CreateBuilder();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => bound = listen));
            var app = builder.Build();
            var upstream = new FlappingUpstream(app);
            app.Run(context =>
            {
                var n = Interlocked.Increment(ref upstream._probes);
                context.Response.StatusCode = n % 2 == 1 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            });
            await app.StartAsync();
            upstream.Url = new Uri($"http://127.0.0.1:{bound!.IPEndPoint!.Port}");
            return upstream;
        }

        public async ValueTask DisposeAsync() => await EmbeddedHost.StopAsync(_app, TimeProvider.System, CancellationToken.None);
    }
}
