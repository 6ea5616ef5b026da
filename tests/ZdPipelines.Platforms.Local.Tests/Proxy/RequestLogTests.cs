using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Plans;
using ZdPipelines.Platforms.Local.Proxy;

namespace ZdPipelines.Platforms.Local.Tests.Proxy;

public sealed class RequestLogTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(2);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_window_counts_the_requests_and_errors_of_its_seconds_and_not_older_ones()
    {
        var log = new RequestLog(_time);
        Record(log, Side.Candidate, 10, failed: true);
        _time.Advance(TimeSpan.FromSeconds(30));
        Record(log, Side.Candidate, 30, failed: false);
        Record(log, Side.Candidate, 10, failed: true);

        Assert.Equal(new TrafficSummary(40, 10, 0.25, LatencyHistogram.MidpointMs(LatencyHistogram.Bin(Fast))), log.Summarize(Side.Candidate, TimeSpan.FromSeconds(10)));
        Assert.Equal(50, log.Summarize(Side.Candidate, TimeSpan.FromMinutes(1)).Requests);
        Assert.Equal(20, log.Summarize(Side.Candidate, TimeSpan.FromMinutes(1)).Errors);
    }

    [Fact]
    public void A_window_reaches_back_to_the_start_of_the_second_that_holds_its_edge_and_no_further()
    {
        var log = new RequestLog(_time);
        Record(log, Side.Stable, 1, failed: false);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        Record(log, Side.Stable, 2, failed: false);
        _time.Advance(TimeSpan.FromMilliseconds(200));

        // Now is 1.1 s after the first request: a 1 s window starts in the first second, so that whole second counts.
        Assert.Equal(3, log.Summarize(Side.Stable, TimeSpan.FromSeconds(1)).Requests);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, log.Summarize(Side.Stable, TimeSpan.FromSeconds(1)).Requests);
    }

    [Fact]
    public void The_sides_are_counted_apart_and_a_side_without_requests_has_no_rates()
    {
        var log = new RequestLog(_time);
        Record(log, Side.Stable, 5, failed: false);

        Assert.Equal(5, log.Summarize(Side.Stable, TimeSpan.FromMinutes(1)).Requests);
        Assert.Equal(new TrafficSummary(0, 0, null, null), log.Summarize(Side.Candidate, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Seconds_older_than_the_retention_are_forgotten_as_their_buckets_are_reused()
    {
        var log = new RequestLog(_time);
        // One request a second for twice the retention: the ring goes round twice.
        var seconds = (int)(RequestLog.Retention.TotalSeconds * 2);
        for (var i = 0; i < seconds; i++)
        {
            Record(log, Side.Stable, 1, failed: i < RequestLog.Retention.TotalSeconds);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var all = log.Summarize(Side.Stable, TimeSpan.FromHours(1));

        // The retention window plus the second that holds its edge, and none of the failures of the first lap.
        Assert.Equal((int)RequestLog.Retention.TotalSeconds, all.Requests);
        Assert.Equal(0, all.Errors);
    }

    [Fact]
    public void The_p95_is_the_nearest_rank_latency_within_the_histograms_bound()
    {
        var log = new RequestLog(_time);
        var latencies = Enumerable.Range(1, 100).Select(ms => TimeSpan.FromMilliseconds(ms)).ToList();
        foreach (var latency in latencies)
        {
            log.Record(Side.Stable, failed: false, latency);
        }

        var p95 = log.Summarize(Side.Stable, TimeSpan.FromMinutes(1)).LatencyP95Ms!.Value;

        Assert.InRange(p95, 95 * (1 - LatencyHistogram.RelativeError), 95 * (1 + LatencyHistogram.RelativeError));
    }

    [Fact]
    public async Task Writers_on_many_threads_across_second_boundaries_lose_no_request()
    {
        var log = new RequestLog(_time);
        const int PerWriter = 50_000;
        using var go = new Barrier(5);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Factory.StartNew(
            () =>
            {
                go.SignalAndWait();
                for (var i = 0; i < PerWriter; i++)
                {
                    log.Record(w % 2 == 0 ? Side.Stable : Side.Candidate, failed: i % 10 == 0, TimeSpan.FromMilliseconds(1 + (i % 50)));
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();

        go.SignalAndWait();
        // Seconds turn over while the writers write, so buckets are claimed under contention; fewer turns than the
        // retention has seconds, so every request stays inside the window read below.
        for (var turns = 0; turns < RequestLog.Retention.TotalSeconds / 2 && !writers.All(t => t.IsCompleted); turns++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        await Task.WhenAll(writers);
        foreach (var side in new[] { Side.Stable, Side.Candidate })
        {
            var summary = log.Summarize(side, RequestLog.Retention);
            Assert.True(summary.Requests == 2 * PerWriter, $"{side}: {summary.Requests} of {2 * PerWriter} requests counted");
            Assert.Equal(2 * PerWriter / 10, summary.Errors);
        }
    }

    private static void Record(RequestLog log, Side side, int count, bool failed)
    {
        for (var i = 0; i < count; i++)
        {
            log.Record(side, failed, Fast);
        }
    }
}
