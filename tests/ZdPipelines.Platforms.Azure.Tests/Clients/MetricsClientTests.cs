using ZdPipelines.AzureEmulator.Arm;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.Clients;

public sealed class MetricsClientTests
{
    [Fact]
    public async Task Requests_and_Http5xx_of_a_slot_count_what_its_data_plane_served()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var staging = bed.App.Slot("staging");
        staging.ErrorRate = 0.5;
        var start = bed.Time.GetUtcNow();
        using var http = bed.DataPlaneClient();
        for (var i = 0; i < 40; i++)
        {
            await http.GetAsync($"https://{staging.HostName}/");
        }

        await http.GetAsync($"https://{bed.App.Production.HostName}/");
        bed.Time.Advance(TimeSpan.FromMinutes(1));
        var failed = bed.Emulator.DataPlaneRequests.Count(r => r.Slot == "staging" && r.Status == 500);

        var result = await bed.Clients.Metrics.QueryResourceAsync(
            bed.SlotId, ["Requests", "Http5xx", "Http2xx", "Http4xx"], new MetricsQueryOptions { StartTime = start, EndTime = start.AddMinutes(1), Aggregations = [MetricAggregationType.Total] });

        Assert.InRange(failed, 5, 35);
        Assert.Equal("Microsoft.Web/sites/slots", result.Namespace);
        Assert.Equal("westeurope", result.ResourceRegion);
        var requests = result.GetMetricByName("Requests")!;
        Assert.True(requests.IsSuccess);
        Assert.Equal("Count", requests.Unit);
        Assert.Equal(40, Assert.Single(Assert.Single(requests.TimeSeries).Values).Total);
        Assert.Equal(failed, Assert.Single(Assert.Single(result.GetMetricByName("Http5xx")!.TimeSeries).Values).Total);
        Assert.Null(Assert.Single(Assert.Single(requests.TimeSeries).Values).Average);
        Assert.Equal(40 - failed, Assert.Single(Assert.Single(result.GetMetricByName("Http2xx")!.TimeSeries).Values).Total);
        Assert.Equal(0, Assert.Single(Assert.Single(result.GetMetricByName("Http4xx")!.TimeSeries).Values).Total);
    }

    [Fact]
    public async Task Production_metrics_count_only_what_production_served()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var start = bed.Time.GetUtcNow();
        using var http = bed.DataPlaneClient();
        await http.GetAsync($"https://{bed.App.Production.HostName}/");
        await http.GetAsync($"https://{bed.App.Slot("staging").HostName}/");
        bed.Time.Advance(TimeSpan.FromSeconds(30));

        var result = await bed.Clients.Metrics.QueryResourceAsync(
            bed.SiteId, ["Requests"], new MetricsQueryOptions { StartTime = start, EndTime = start.AddMinutes(1), Aggregations = [MetricAggregationType.Total, MetricAggregationType.Count] });

        Assert.Equal("Microsoft.Web/sites", result.Namespace);
        var point = Assert.Single(Assert.Single(result.GetMetricByName("Requests")!.TimeSeries).Values);
        Assert.Equal((1.0, 1.0), (point.Total, point.Count));
    }

    [Fact]
    public async Task Response_time_is_the_average_latency_in_seconds_per_grain_and_empty_grains_have_no_value()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var staging = bed.App.Slot("staging");
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        using var http = bed.DataPlaneClient();
        staging.Latency = TimeSpan.FromMilliseconds(200);
        var slow = http.GetAsync($"https://{staging.HostName}/");
        await bed.DriveAsync(slow, TimeSpan.FromMilliseconds(100));

        var result = await bed.Clients.Metrics.QueryResourceAsync(
            bed.SlotId, ["HttpResponseTime"], new MetricsQueryOptions { StartTime = start, EndTime = start.AddMinutes(3), Granularity = TimeSpan.FromMinutes(1) });

        var metric = result.GetMetricByName("HttpResponseTime")!;
        Assert.Equal("Seconds", metric.Unit);
        Assert.Equal("PT1M", result.Granularity);
        var values = Assert.Single(metric.TimeSeries).Values;
        Assert.Equal(3, values.Count);
        Assert.Equal(0.2, values[0].Average!.Value, precision: 3);
        Assert.All(values.Skip(1), v => Assert.Equal((null, null), (v.Average, v.Total)));
    }

    [Fact]
    public async Task An_unknown_metric_fails_alone_inside_a_200()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var start = bed.Time.GetUtcNow();

        var result = await bed.Clients.Metrics.QueryResourceAsync(
            bed.SlotId, ["Requests", "Http9xx"], new MetricsQueryOptions { StartTime = start, EndTime = start.AddMinutes(5) });

        Assert.True(result.GetMetricByName("Requests")!.IsSuccess);
        var unknown = result.GetMetricByName("Http9xx")!;
        Assert.False(unknown.IsSuccess);
        Assert.Equal(MetricsOperations.UnknownMetricCode, unknown.ErrorCode);
        Assert.Contains("Http9xx", unknown.ErrorMessage);
        Assert.Empty(unknown.TimeSeries);
    }

    [Fact]
    public async Task A_bad_window_is_refused_before_it_is_sent()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var now = bed.Time.GetUtcNow();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            bed.Clients.Metrics.QueryResourceAsync(bed.SlotId, ["Requests"], new MetricsQueryOptions { StartTime = now, EndTime = now }));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            bed.Clients.Metrics.QueryResourceAsync(bed.SlotId, [], new MetricsQueryOptions { StartTime = now, EndTime = now.AddMinutes(1) }));

        Assert.Empty(bed.ArmRequests);
    }

    [Fact]
    public async Task Metrics_of_a_missing_slot_are_a_404_from_Azure_Monitor()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var now = bed.Time.GetUtcNow();

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() => bed.Clients.Metrics.QueryResourceAsync(
            WebAppIds.Slot(bed.SiteId, "nope"), ["Requests"], new MetricsQueryOptions { StartTime = now.AddMinutes(-5), EndTime = now }));

        Assert.Equal((404, "ResourceNotFound", "Metrics_List"), (error.Status, error.ErrorCode, error.OperationId));
    }
}
