using ZdPipelines.Platforms.Local.Proxy;

namespace ZdPipelines.Platforms.Local.Tests.Proxy;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Every_latency_from_a_microsecond_to_an_hour_is_within_the_bound_of_its_bins_midpoint()
    {
        var random = new Random(42);
        for (var i = 0; i < 100_000; i++)
        {
            // Log-uniform, so every octave gets its share.
            var latency = TimeSpan.FromTicks((long)Math.Exp(random.NextDouble() * Math.Log(TimeSpan.TicksPerHour)));
            var exactMs = latency.TotalMilliseconds;

            var reported = LatencyHistogram.MidpointMs(LatencyHistogram.Bin(latency));

            // Below 16 µs the bins are whole microseconds: half of one is the bound there (plus rounding of doubles).
            Assert.True(
                Math.Abs(reported - exactMs) <= Math.Max(exactMs * LatencyHistogram.RelativeError, 0.0005) + 1e-12,
                $"{exactMs} ms reported as {reported} ms");
        }
    }

    [Fact]
    public void Bins_grow_with_latency_and_stay_in_range()
    {
        var previous = -1;
        for (var micros = 0L; micros < 1L << 36; micros = (micros * 9 / 8) + 1)
        {
            var bin = LatencyHistogram.Bin(TimeSpan.FromTicks(micros * 10));

            Assert.InRange(bin, Math.Max(previous, 0), LatencyHistogram.BinCount - 1);
            previous = bin;
        }

        Assert.Equal(LatencyHistogram.BinCount - 1, LatencyHistogram.Bin(TimeSpan.FromDays(1)));
        Assert.Equal(0, LatencyHistogram.Bin(TimeSpan.FromTicks(-5)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(123)]
    public void A_p95_read_from_the_bins_is_within_the_bound_of_the_exact_nearest_rank_p95(int seed)
    {
        var random = new Random(seed);
        // A request mix with a slow tail: most in 0.2-5 ms, one in ten 50-2000 ms.
        var latencies = Enumerable.Range(0, 20_000)
            .Select(_ => TimeSpan.FromMilliseconds(random.NextDouble() < 0.9 ? 0.2 + (random.NextDouble() * 4.8) : 50 + (random.NextDouble() * 1950)))
            .ToList();
        var log = new RequestLog(TimeProvider.System);
        foreach (var latency in latencies)
        {
            log.Record(Core.Plans.Side.Stable, failed: false, latency);
        }

        var sorted = latencies.Select(l => l.TotalMilliseconds).Order().ToList();
        var exact = sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1];
        var reported = log.Summarize(Core.Plans.Side.Stable, TimeSpan.FromMinutes(1)).LatencyP95Ms!.Value;

        Assert.True(Math.Abs(reported - exact) <= exact * LatencyHistogram.RelativeError, $"exact p95 {exact} ms, reported {reported} ms");
    }
}
