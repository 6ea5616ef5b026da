using System.Diagnostics;
using System.Globalization;
using ZdPipelines.Core.Plans;
using ZdPipelines.Platforms.Local.Proxy;

namespace ZdPipelines.Bench;

/// <summary>
/// The local proxy's request log on its own, on a manual clock: ten minutes of traffic at 15,000 requests a second
/// recorded as fast as the CPU goes, then what a metric gate's measurement costs and what the log keeps in memory.
/// A second run records from two threads at once, as Kestrel does on two cores, to show what sharing costs.
/// </summary>
internal static class RequestLogBench
{
    private const int RequestsPerSecond = 15_000;

    /// <summary>A metric gate's default window.</summary>
    private static readonly TimeSpan GateWindow = TimeSpan.FromSeconds(30);

    public sealed record Result(long Requests, double RecordNs, double RetainedMb, double SummaryMicros, double ContendedRecordNs);

    public static void Print()
    {
        var culture = CultureInfo.InvariantCulture;
        var result = Run();
        Console.WriteLine(string.Create(culture, $"Request log: {RequestLog.Retention.TotalMinutes:0} min at {RequestsPerSecond:N0} req/s ({result.Requests:N0} requests) on a manual clock"));
        Console.WriteLine();
        Console.WriteLine($"{"record ns/req",14} {"2 threads ns/req",17} {"kept MB",8} {"30 s summary µs",16}");
        Console.WriteLine(string.Create(culture, $"{result.RecordNs,14:0.0} {result.ContendedRecordNs,17:0.0} {result.RetainedMb,8:0.0} {result.SummaryMicros,16:0.0}"));
    }

    public static Result Run()
    {
        var time = new ManualTime();
        var requests = (long)(RequestsPerSecond * RequestLog.Retention.TotalSeconds);
        var step = TimeSpan.TicksPerSecond / RequestsPerSecond;
        // Latencies from 0.3 ms up with a tail, the same sequence every run.
        var latencies = Enumerable.Range(0, 1024).Select(i => TimeSpan.FromTicks(3_000 + (i * i * 7 % 200_000))).ToArray();

        var retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var log = new RequestLog(time);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < requests; i++)
        {
            time.Advance(step);
            log.Record(Side.Stable, failed: i % 100 == 0, latencies[i & 1023]);
        }

        var recordNs = clock.Elapsed.TotalNanoseconds / requests;
        var retainedMb = (GC.GetTotalMemory(forceFullCollection: true) - retainedBefore) / 1e6;

        var summaries = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            clock.Restart();
            _ = log.Summarize(Side.Stable, GateWindow);
            summaries.Add(clock.Elapsed.TotalMicroseconds);
        }

        GC.KeepAlive(log);
        return new Result(requests, recordNs, retainedMb, summaries.Order().ElementAt(summaries.Count / 2), Contended(latencies));
    }

    /// <summary>Two threads record a million requests each for one side in the same second: the most they can share.</summary>
    private static double Contended(TimeSpan[] latencies)
    {
        const int PerThread = 1_000_000;
        var log = new RequestLog(new ManualTime());
        using var go = new Barrier(3);
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            go.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                log.Record(Side.Stable, failed: false, latencies[i & 1023]);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        go.SignalAndWait();
        var clock = Stopwatch.StartNew();
        threads.ForEach(t => t.Join());
        return clock.Elapsed.TotalNanoseconds / PerThread;
    }

    /// <summary>A clock that moves only when told; both the wall clock and the timestamp follow it.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(long ticks) => _ticks += ticks;

        public override DateTimeOffset GetUtcNow() => new(Volatile.Read(ref _ticks), TimeSpan.Zero);

        public override long GetTimestamp() => Volatile.Read(ref _ticks);
    }
}
