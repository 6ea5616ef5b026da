using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Gates.Http;
using HttpProbeSpec = ZdPipelines.Gates.Http.HttpGateOptions;

namespace ZdPipelines.Gates.Tests.Http;

/// <summary>Against a real Kestrel server on 127.0.0.1 with an ephemeral port.</summary>
public sealed class HttpGateSourceTests : IAsyncLifetime
{
    private WebApplication? _app;
    private int _flakyCalls;

    private string Address { get; set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/ok", () => "service ok");
        _app.MapGet("/paced", async () =>
        {
            await Task.Delay(PacedMs);
            return "paced";
        });
        _app.MapGet("/flaky", () => Interlocked.Increment(ref _flakyCalls) % 2 == 0 ? Results.StatusCode(503) : Results.Text("fine"));
        _app.MapGet("/slow", async () =>
        {
            await Task.Delay(2000);
            return "late";
        });
        await _app.StartAsync();
        Address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Success_rate_is_the_share_of_probes_answered_with_the_expected_status()
    {
        var m = await MeasureAsync(new HttpProbeSpec { Url = "{address}/flaky", Probes = 4 });

        Assert.Equal(0.5, m.Value);
        Assert.Equal(4, m.Samples);
        Assert.Contains("status 503, expected 200", m.Detail);
    }

    [Fact]
    public async Task A_probe_passes_only_when_the_body_contains_the_expected_text()
    {
        var match = await MeasureAsync(new HttpProbeSpec { Url = "{address}/ok", Probes = 3, BodyContains = "ok" });
        var mismatch = await MeasureAsync(new HttpProbeSpec { Url = "{address}/ok", Probes = 3, BodyContains = "broken" });

        Assert.Equal(1.0, match.Value);
        Assert.Equal(0.0, mismatch.Value);
        Assert.Contains("does not contain 'broken'", mismatch.Detail);
    }

    [Fact]
    public async Task A_probe_that_outlasts_its_timeout_counts_as_failed()
    {
        var m = await MeasureAsync(new HttpProbeSpec { Url = "{address}/slow", Probes = 1, Timeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal(0.0, m.Value);
        Assert.Contains("no response within 200ms", m.Detail);
    }

    [Fact]
    public async Task Latency_p95_is_reported_in_milliseconds_from_the_probes_that_were_answered()
    {
        var m = await MeasureAsync(new HttpProbeSpec { Url = "{address}/paced", Probes = 5, Measure = HttpMeasure.LatencyP95Ms });

        // At least the server's own delay, and below the probe timeout (a slower probe is not answered): milliseconds,
        // not seconds or ticks, whatever the machine's load.
        Assert.NotNull(m.Value);
        Assert.InRange(m.Value!.Value, PacedMs, HttpGateDefaults.Timeout.TotalMilliseconds);
        Assert.Equal(5, m.Samples);
    }

    [Fact]
    public async Task Latency_with_no_answer_at_all_is_no_data_rather_than_fast()
    {
        var m = await MeasureAsync(new HttpProbeSpec { Url = "http://127.0.0.1:1/", Probes = 2, Measure = HttpMeasure.LatencyP95Ms });

        Assert.Null(m.Value);
        Assert.Contains("no probe", m.Detail);
    }

    [Fact]
    public void The_p95_of_five_probes_is_the_slowest()
    {
        Assert.Equal(50, HttpGateSource.Percentile95([10, 50, 20, 30, 40]));
    }

    /// <summary>How long /paced takes to answer.</summary>
    private const int PacedMs = 20;

    private async Task<Measurement> MeasureAsync(HttpProbeSpec probe)
    {
        var gate = new GateSpec { Name = "probe", Source = probe, Condition = new GateCondition(ComparisonOperator.GreaterThanOrEqual, 1) };
        var context = new GateContext(Side.Candidate, Address, null, "shop-1");
        return await new HttpGateSource(TimeProvider.System).MeasureAsync(gate, context, CancellationToken.None);
    }
}
