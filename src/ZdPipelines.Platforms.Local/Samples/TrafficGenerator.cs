using System.Collections.Concurrent;

namespace ZdPipelines.Platforms.Local.Samples;

/// <summary>How hard a <see cref="TrafficGenerator"/> pushes.</summary>
public sealed record TrafficGeneratorOptions
{
    /// <summary>Loops sending at once; four keep a few requests in flight at every moment of a drain.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Pause of each loop between requests: about 400 requests a second with four loops on a fast machine.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>A request that takes longer counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>What a <see cref="TrafficGenerator"/> saw: requests sent, failed (non-2xx or no answer) and answers per version.</summary>
public sealed record TrafficReport(long Sent, long Failed, IReadOnlyDictionary<string, long> ByVersion, IReadOnlyList<string> FirstFailures)
{
    public long For(string version) => ByVersion.TryGetValue(version, out var n) ? n : 0;
}

/// <summary>
/// A synthetic client for `zdp demo` and tests: concurrent loops sending GET / to an address and
/// reading "hello from {version}" from each answer, so a deployment can be watched as users see it.
/// </summary>
public sealed class TrafficGenerator : IAsyncDisposable
{
    /// <summary>Enough failure messages to say what went wrong without keeping thousands.</summary>
    private const int FailuresKept = 10;

    private const string Greeting = "hello from ";

    private readonly Uri _address;
    private readonly TrafficGeneratorOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;
    private readonly ConcurrentDictionary<string, long> _byVersion = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loops;
    private long _sent;
    private long _failed;

    public TrafficGenerator(Uri address, TrafficGeneratorOptions options, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1, nameof(options.Concurrency));
        _address = address;
        _options = options;
        _time = timeProvider;
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Start() => _loops ??= Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(LoopAsync)));

    /// <summary>The counts so far; the generator keeps running.</summary>
    public TrafficReport Report() => new(
        Interlocked.Read(ref _sent),
        Interlocked.Read(ref _failed),
        new Dictionary<string, long>(_byVersion, StringComparer.Ordinal),
        [.. _failures]);

    /// <summary>Stops sending; requests already sent are awaited and counted, not cancelled.</summary>
    public async Task<TrafficReport> StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_loops is not null)
        {
            await _loops.WaitAsync(cancellationToken);
        }

        return Report();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await SendOneAsync();
            try
            {
                await Task.Delay(_options.Delay, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendOneAsync()
    {
        Interlocked.Increment(ref _sent);
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        try
        {
            using var response = await _client.GetAsync(_address, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                Fail($"{(int)response.StatusCode} {body.Trim()}");
                return;
            }

            var text = body.Trim();
            var version = text.StartsWith(Greeting, StringComparison.Ordinal) ? text[Greeting.Length..] : "unknown";
            _byVersion.AddOrUpdate(version, 1, (_, n) => n + 1);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            Fail(e is OperationCanceledException ? $"no answer within {_options.RequestTimeout}" : e.Message);
        }
    }

    private void Fail(string why)
    {
        Interlocked.Increment(ref _failed);
        if (_failures.Count < FailuresKept)
        {
            _failures.Enqueue(why);
        }
    }
}
