using ZdPipelines.Core.Plans;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// Per-side record of the requests the proxy answered, queried over a trailing window for metric gates.
/// Each side keeps a fixed ring of one-second buckets, each a <see cref="LatencyHistogram"/> plus an error count:
/// recording is a few atomic increments with no lock, memory is fixed whatever the traffic, and a summary reads
/// the window's buckets, so its cost grows with the window, never with the number of requests.
/// </summary>
/// <remarks>
/// Bucket time is <see cref="TimeProvider.GetTimestamp"/>, monotonic, so a wall-clock step neither loses nor
/// doubles a second. A window covers whole buckets: from the start of the second that holds now - window to now,
/// so it can take in up to one second more than asked.
/// </remarks>
internal sealed class RequestLog
{
    /// <summary>
    /// Buckets older than this are reused. Metric gates look back 30 s by default; ten minutes covers any sensible
    /// window, and the memory it takes is fixed (about 1.1 MB a side) rather than per request.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    private static readonly int RetentionSeconds = (int)Retention.TotalSeconds;

    /// <summary>
    /// The window's buckets (retention + the current second) and one more: the bucket a writer rotates for the next
    /// second is never one that a summary of the current second reads.
    /// </summary>
    private static readonly int BucketCount = RetentionSeconds + 2;

    private readonly TimeProvider _time;
    private readonly SideLog _stable = new();
    private readonly SideLog _candidate = new();

    public RequestLog(TimeProvider time) => _time = time;

    public void Record(Side side, bool failed, TimeSpan latency) => Of(side).Record(Second(_time.GetTimestamp()), failed, LatencyHistogram.Bin(latency));

    public TrafficSummary Summarize(Side side, TimeSpan window)
    {
        var now = _time.GetTimestamp();
        var span = window < Retention ? window : Retention;
        var oldest = Second(now - (long)(Math.Max(0, span.TotalSeconds) * _time.TimestampFrequency));
        return Of(side).Summarize(oldest, Second(now));
    }

    private long Second(long timestamp) => timestamp / _time.TimestampFrequency;

    private SideLog Of(Side side) => side == Side.Stable ? _stable : _candidate;

    /// <summary>One side's ring. Slot i holds second s where s % <see cref="BucketCount"/> == i, once claimed for s.</summary>
    private sealed class SideLog
    {
        private const long Unused = -2;

        /// <summary>A writer is clearing the slot for its new second; the others wait the few hundred ns it takes.</summary>
        private const long Claiming = -1;

        private readonly long[] _seconds = [.. Enumerable.Repeat(Unused, BucketCount)];
        private readonly int[] _errors = new int[BucketCount];
        private readonly int[] _bins = new int[BucketCount * LatencyHistogram.BinCount];

        public void Record(long second, bool failed, int bin)
        {
            var slot = (int)(second % BucketCount);
            if (Volatile.Read(ref _seconds[slot]) != second && !Claim(slot, second))
            {
                return;
            }

            Interlocked.Increment(ref _bins[(slot * LatencyHistogram.BinCount) + bin]);
            if (failed)
            {
                Interlocked.Increment(ref _errors[slot]);
            }
        }

        public TrafficSummary Summarize(long oldest, long newest)
        {
            Span<int> bins = stackalloc int[LatencyHistogram.BinCount];
            Span<int> bucket = stackalloc int[LatencyHistogram.BinCount];
            long requests = 0, errors = 0;
            for (var second = Math.Max(oldest, newest - RetentionSeconds); second <= newest; second++)
            {
                var slot = (int)(second % BucketCount);
                if (Volatile.Read(ref _seconds[slot]) != second)
                {
                    continue;
                }

                var bucketErrors = Volatile.Read(ref _errors[slot]);
                var from = slot * LatencyHistogram.BinCount;
                for (var i = 0; i < bucket.Length; i++)
                {
                    bucket[i] = Volatile.Read(ref _bins[from + i]);
                }

                // Reused for a later second while being read: only a reader stalled for seconds sees this; skip it.
                if (Volatile.Read(ref _seconds[slot]) != second)
                {
                    continue;
                }

                for (var i = 0; i < bins.Length; i++)
                {
                    bins[i] += bucket[i];
                    requests += bucket[i];
                }

                errors += bucketErrors;
            }

            if (requests == 0)
            {
                return new TrafficSummary(0, 0, null, null);
            }

            // Errors are read before bins and counted after them, so a bucket still being written never shows more
            // errors than requests.
            return new TrafficSummary((int)requests, (int)errors, (double)errors / requests, Percentile(bins, requests, 0.95));
        }

        /// <summary>Nearest rank: the bin of the smallest latency that at least <paramref name="share"/> of requests did not exceed.</summary>
        private static double Percentile(ReadOnlySpan<int> bins, long count, double share)
        {
            var rank = (long)Math.Ceiling(share * count);
            long seen = 0;
            for (var i = 0; i < bins.Length; i++)
            {
                seen += bins[i];
                if (seen >= rank)
                {
                    return LatencyHistogram.MidpointMs(i);
                }
            }

            return LatencyHistogram.MidpointMs(bins.Length - 1);
        }

        /// <summary>
        /// Makes the slot hold <paramref name="second"/>: one writer clears it, writers that race it wait until it is
        /// ready. False for a writer whose second the slot has already left behind (it stalled for the whole ring).
        /// </summary>
        private bool Claim(int slot, long second)
        {
            var spin = default(SpinWait);
            while (true)
            {
                var held = Volatile.Read(ref _seconds[slot]);
                if (held == second)
                {
                    return true;
                }

                if (held > second)
                {
                    return false;
                }

                if (held != Claiming && Interlocked.CompareExchange(ref _seconds[slot], Claiming, held) == held)
                {
                    Array.Clear(_bins, slot * LatencyHistogram.BinCount, LatencyHistogram.BinCount);
                    _errors[slot] = 0;
                    Volatile.Write(ref _seconds[slot], second);
                    return true;
                }

                spin.SpinOnce();
            }
        }
    }
}

/// <summary>
/// What one side served over a trailing window. <see cref="ErrorRate"/> is 5xx answers (proxy errors
/// included) over requests, and like <see cref="LatencyP95Ms"/> it is null when there were no requests.
/// <see cref="LatencyP95Ms"/> is read from log-scale bins: within 1/32 (about 3.1 %) of the exact nearest-rank value.
/// </summary>
public sealed record TrafficSummary(int Requests, int Errors, double? ErrorRate, double? LatencyP95Ms);
