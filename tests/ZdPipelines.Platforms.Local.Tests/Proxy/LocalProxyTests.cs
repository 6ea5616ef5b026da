using System.Net;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Local.Proxy;
using ZdPipelines.Platforms.Local.Samples;

namespace ZdPipelines.Platforms.Local.Tests.Proxy;

public sealed class LocalProxyTests
{
    [Fact]
    public async Task A_weight_of_20_sends_about_a_fifth_of_500_requests_to_the_candidate()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 2);
        await using var proxy = await StartProxyAsync(upstreams);

        proxy.SetCandidateWeight(20);
        var seen = await upstreams.SendAsync(proxy.Address, 500);

        Assert.Equal(500, seen.GetValueOrDefault("v1") + seen.GetValueOrDefault("v2"));
        Assert.InRange(seen.GetValueOrDefault("v2"), 80, 120);
    }

    [Fact]
    public async Task A_switch_moves_all_traffic_to_the_candidate_and_back()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 2);
        await using var proxy = await StartProxyAsync(upstreams);

        Assert.Equal(new Dictionary<string, int> { ["v1"] = 20 }, await upstreams.SendAsync(proxy.Address, 20));
        proxy.Switch(Side.Candidate);
        Assert.Equal(new Dictionary<string, int> { ["v2"] = 20 }, await upstreams.SendAsync(proxy.Address, 20));
        proxy.Switch(Side.Stable);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 20 }, await upstreams.SendAsync(proxy.Address, 20));
    }

    [Fact]
    public async Task Deregistering_under_constant_traffic_fails_no_request_and_the_destination_ends_unused()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 0);
        await using var proxy = await StartProxyAsync(upstreams);
        await using var traffic = new TrafficGenerator(proxy.Address, new TrafficGeneratorOptions { Concurrency = 4, Delay = TimeSpan.FromMilliseconds(2) }, TimeProvider.System);

        traffic.Start();
        await Poll.UntilAsync(() => traffic.Report().Sent > 100, "traffic flows");
        proxy.Deregister("stable-2");
        await Poll.UntilAsync(() => proxy.State().Find("stable-2")!.Health == TargetHealth.Unused, "stable-2 is unused");
        var atUnused = traffic.Report().Sent;
        await Poll.UntilAsync(() => traffic.Report().Sent > atUnused + 100, "traffic keeps flowing");
        var report = await traffic.StopAsync(CancellationToken.None);

        Assert.True(report.Failed == 0, $"{report.Failed} of {report.Sent} failed: {string.Join("; ", report.FirstFailures)}");
        Assert.Equal(report.Sent, report.For("v1"));
        Assert.Equal(0, proxy.State().Find("stable-2")!.InFlight);
    }

    [Fact]
    public async Task A_deregistered_destination_drains_its_in_flight_request_before_it_is_unused()
    {
        await using var upstreams = await Upstreams.StartAsync(
            stable: 1, candidate: 0, stableOptions: new SampleAppOptions { Version = "v1", ResponseDelay = TimeSpan.FromMilliseconds(800) });
        await using var proxy = await StartProxyAsync(upstreams);

        var request = upstreams.Client.GetStringAsync(proxy.Address);
        await Poll.UntilAsync(() => proxy.State().Find("stable-1")!.InFlight == 1, "the request is in flight");
        proxy.Deregister("stable-1");

        Assert.Equal(TargetHealth.Draining, proxy.State().Find("stable-1")!.Health);
        Assert.Equal("hello from v1", (await request).Trim());
        await Poll.UntilAsync(() => proxy.State().Find("stable-1")!.Health == TargetHealth.Unused, "stable-1 is unused");
    }

    [Fact]
    public async Task A_request_still_in_flight_when_the_drain_timeout_ends_is_cut_off()
    {
        await using var upstreams = await Upstreams.StartAsync(
            stable: 1, candidate: 0, stableOptions: new SampleAppOptions { Version = "v1", ResponseDelay = TimeSpan.FromSeconds(5) });
        await using var proxy = await StartProxyAsync(upstreams, drainTimeout: TimeSpan.FromMilliseconds(300));

        var request = upstreams.Client.GetAsync(proxy.Address);
        await Poll.UntilAsync(() => proxy.State().Find("stable-1")!.InFlight == 1, "the request is in flight");
        proxy.Deregister("stable-1");
        using var response = await request;

        Assert.True((int)response.StatusCode >= 500, $"expected a proxy error, got {response.StatusCode}");
        await Poll.UntilAsync(() => proxy.State().Find("stable-1")!.Health == TargetHealth.Unused, "stable-1 is unused");
    }

    [Fact]
    public async Task A_registered_destination_is_initial_then_healthy()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 1, candidate: 0);
        await using var proxy = await StartProxyAsync(upstreams);
        await using var extra = new SampleApp(new SampleAppOptions { Version = "v1" }, TimeProvider.System);
        await extra.StartAsync(CancellationToken.None);

        proxy.AddDestination("stable-2", Side.Stable, extra.Url, registered: false);
        Assert.Equal(TargetHealth.Unused, proxy.State().Find("stable-2")!.Health);
        proxy.Register("stable-2");

        Assert.Equal(TargetHealth.Initial, proxy.State().Find("stable-2")!.Health);
        await Poll.UntilAsync(() => proxy.State().Find("stable-2")!.Health == TargetHealth.Healthy, "stable-2 is healthy");
    }

    [Fact]
    public async Task A_stopped_upstream_becomes_unhealthy_and_receives_no_traffic()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 0);
        await using var proxy = await StartProxyAsync(upstreams);

        await upstreams.Stable[1].StopAsync(CancellationToken.None);
        await Poll.UntilAsync(() => proxy.State().Find("stable-2")!.Health == TargetHealth.Unhealthy, "stable-2 is unhealthy");
        var before = proxy.Traffic(Side.Stable, TimeSpan.FromMinutes(1));

        // Every answer is 200: none of the 40 went to the stopped instance, which would have been a 502.
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 40 }, await upstreams.SendAsync(proxy.Address, 40));
        Assert.Equal(before.Errors, proxy.Traffic(Side.Stable, TimeSpan.FromMinutes(1)).Errors);
    }

    [Fact]
    public async Task A_side_without_healthy_destinations_falls_back_to_the_other_side()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 1, candidate: 1);
        await using var proxy = await StartProxyAsync(upstreams);

        await upstreams.Candidate[0].StopAsync(CancellationToken.None);
        await Poll.UntilAsync(() => proxy.State().Find("candidate-1")!.Health == TargetHealth.Unhealthy, "candidate-1 is unhealthy");
        proxy.SetCandidateWeight(50);

        Assert.Equal(new Dictionary<string, int> { ["v1"] = 20 }, await upstreams.SendAsync(proxy.Address, 20));
        Assert.Equal(10, proxy.Fallbacks);
    }

    [Fact]
    public async Task The_preview_listener_reaches_only_the_candidate()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 1);
        await using var proxy = await StartProxyAsync(upstreams);

        Assert.NotEqual(proxy.Address, proxy.PreviewAddress);
        Assert.Equal(new Dictionary<string, int> { ["v2"] = 20 }, await upstreams.SendAsync(proxy.PreviewAddress, 20));
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 20 }, await upstreams.SendAsync(proxy.Address, 20));
    }

    [Fact]
    public async Task The_preview_listener_answers_503_rather_than_falling_back_to_stable()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 1, candidate: 0);
        await using var proxy = await StartProxyAsync(upstreams);

        using var response = await upstreams.Client.GetAsync(proxy.PreviewAddress);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, proxy.Traffic(Side.Candidate, TimeSpan.FromMinutes(1)).Errors);
    }

    [Fact]
    public async Task Error_rate_of_a_faulty_candidate_is_about_a_half_and_null_without_requests()
    {
        await using var upstreams = await Upstreams.StartAsync(
            stable: 1, candidate: 1, candidateOptions: new SampleAppOptions { Version = "v2", FaultRate = 0.5, Seed = 7 });
        await using var proxy = await StartProxyAsync(upstreams);

        Assert.Null(proxy.Traffic(Side.Candidate, TimeSpan.FromMinutes(1)).ErrorRate);
        proxy.Switch(Side.Candidate);
        await upstreams.SendAsync(proxy.Address, 200);
        var candidate = proxy.Traffic(Side.Candidate, TimeSpan.FromMinutes(1));

        Assert.Equal(200, candidate.Requests);
        Assert.InRange(candidate.ErrorRate!.Value, 0.4, 0.6);
        Assert.NotNull(candidate.LatencyP95Ms);
        Assert.Equal(new TrafficSummary(0, 0, null, null), proxy.Traffic(Side.Stable, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Port_zero_reports_the_port_actually_bound()
    {
        await using var proxy = new LocalProxy(new LocalProxyOptions { Listen = "127.0.0.1:0" }, TimeProvider.System);
        await proxy.StartAsync(CancellationToken.None);

        Assert.NotEqual(0, proxy.Address.Port);
        Assert.Equal("127.0.0.1", proxy.Address.Host);
    }

    /// <summary>A proxy in front of every upstream, ids "stable-N" and "candidate-N", each healthy before it returns.</summary>
    private static async Task<LocalProxy> StartProxyAsync(Upstreams upstreams, TimeSpan? drainTimeout = null)
    {
        var proxy = new LocalProxy(
            new LocalProxyOptions { Listen = "127.0.0.1:0", HealthCheck = Upstreams.FastHealth, DrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(5) },
            TimeProvider.System);
        for (var i = 0; i < upstreams.Stable.Count; i++)
        {
            proxy.AddDestination($"stable-{i + 1}", Side.Stable, upstreams.Stable[i].Url);
        }

        for (var i = 0; i < upstreams.Candidate.Count; i++)
        {
            proxy.AddDestination($"candidate-{i + 1}", Side.Candidate, upstreams.Candidate[i].Url);
        }

        await proxy.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => proxy.State().Destinations.All(d => d.Health == TargetHealth.Healthy), "every destination is healthy");
        return proxy;
    }
}
