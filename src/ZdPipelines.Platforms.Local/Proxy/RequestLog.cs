using ZdPipelines.Core.Plans;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// Per-side record of the requests the proxy answered, queried over a trailing window for metric gates.
/// </summary>
internal sealed class RequestLog
{
    /// <summary>
    /// Samples older than this are dropped. Metric gates look back 30 s by default; ten minutes covers any
    /// sensible window while bounding memory at demo traffic rates.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Queue<Sample> _stable = new();
    private readonly Queue<Sample> _candidate = new();
    private readonly TimeProvider _time;

    public RequestLog(TimeProvider time) => _time = time;

    public void Record(Side side, bool failed, TimeSpan latency)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var samples = Of(side);
            samples.Enqueue(new Sample(now, failed, latency.TotalMilliseconds));
            while (samples.Peek().At < now - Retention)
            {
                samples.Dequeue();
            }
        }
    }

    public TrafficSummary Summarize(Side side, TimeSpan window)
    {
        List<double> latencies;
        var errors = 0;
        lock (_lock)
        {
            var since = _time.GetUtcNow() - window;
            latencies = [];
            foreach (var sample in Of(side))
            {
                if (sample.At < since)
                {
                    continue;
                }

                latencies.Add(sample.LatencyMs);
                if (sample.Failed)
                {
                    errors++;
                }
            }
        }

        if (latencies.Count == 0)
        {
            return new TrafficSummary(0, 0, null, null);
        }

        latencies.Sort();
        // Nearest-rank percentile: the smallest latency that at least 95 % of requests did not exceed.
        var p95 = latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1];
        return new TrafficSummary(latencies.Count, errors, (double)errors / latencies.Count, p95);
    }

    private Queue<Sample> Of(Side side) => side == Side.Stable ? _stable : _candidate;

    private readonly record struct Sample(DateTimeOffset At, bool Failed, double LatencyMs);
}

/// <summary>
/// What one side served over a trailing window. <see cref="ErrorRate"/> is 5xx answers (proxy errors
/// included) over requests, and like <see cref="LatencyP95Ms"/> it is null when there were no requests.
/// </summary>
public sealed record TrafficSummary(int Requests, int Errors, double? ErrorRate, double? LatencyP95Ms);
