using System.Net;
using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Platforms.Local.Samples;

namespace ZdPipelines.Platforms.Local.Tests.Samples;

public sealed class SampleAppTests : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task It_greets_with_its_version_and_answers_health_checks()
    {
        await using var app = new SampleApp(new SampleAppOptions { Version = "v7" }, TimeProvider.System);
        await app.StartAsync(CancellationToken.None);

        Assert.Equal("hello from v7", (await _client.GetStringAsync(app.Url)).Trim());
        Assert.Equal("ok", (await _client.GetStringAsync(new Uri(app.Url, "/healthz"))).Trim());
    }

    [Fact]
    public async Task A_restart_keeps_the_port_and_serves_the_new_version()
    {
        await using var app = new SampleApp(new SampleAppOptions { Version = "v1" }, TimeProvider.System);
        await app.StartAsync(CancellationToken.None);
        var url = app.Url;

        await app.RestartAsync(app.Options with { Version = "v2" }, CancellationToken.None);

        Assert.Equal(url, app.Url);
        Assert.Equal("hello from v2", (await _client.GetStringAsync(url)).Trim());
    }

    [Fact]
    public async Task During_its_startup_delay_it_answers_503_and_then_serves()
    {
        var time = new FakeTimeProvider();
        await using var app = new SampleApp(new SampleAppOptions { StartupDelay = TimeSpan.FromSeconds(3) }, time);
        await app.StartAsync(CancellationToken.None);

        using (var starting = await _client.GetAsync(new Uri(app.Url, "/healthz")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
        }

        time.Advance(TimeSpan.FromSeconds(3));
        using var ready = await _client.GetAsync(new Uri(app.Url, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_faults()
    {
        var options = new SampleAppOptions { FaultRate = 0.3, Seed = 42 };

        var first = await StatusesAsync(options);
        var second = await StatusesAsync(options);

        Assert.Equal(first, second);
        Assert.InRange(first.Count(s => s == HttpStatusCode.InternalServerError), 15, 45);
    }

    private async Task<List<HttpStatusCode>> StatusesAsync(SampleAppOptions options)
    {
        await using var app = new SampleApp(options, TimeProvider.System);
        await app.StartAsync(CancellationToken.None);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            using var response = await _client.GetAsync(app.Url);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
