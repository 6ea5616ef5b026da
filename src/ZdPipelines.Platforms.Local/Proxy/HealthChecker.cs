using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// Active health checks: every interval, GET the health path of each registered destination. A probe
/// passes on a 2xx answer within the timeout; <see cref="DestinationTable"/> applies the thresholds.
/// <see cref="FirstVerdict"/> completes once the first rounds have judged every destination, so that the proxy
/// serves nothing on guesses.
/// </summary>
internal sealed class HealthChecker : IAsyncDisposable
{
    private readonly DestinationTable _table;
    private readonly HealthCheckSpec _spec;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstVerdict = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    public HealthChecker(DestinationTable table, HealthCheckSpec spec, TimeProvider time)
    {
        _table = table;
        _spec = spec;
        _time = time;
        // The timeout comes from the spec per probe, on the injected clock.
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>
    /// Rounds the start waits at most: a destination whose answer changes once during them (one still starting, say:
    /// failing, then passing) reaches its verdict within unhealthyThreshold - 1 failures plus healthyThreshold passes.
    /// One that keeps flapping has none by then; it stays Initial and serves nothing until it passes its threshold.
    /// </summary>
    public int StartRounds => _spec.HealthyThreshold + _spec.UnhealthyThreshold - 1;

    /// <summary>
    /// Completes when every registered destination is Healthy or Unhealthy, or after <see cref="StartRounds"/> rounds;
    /// cancelled if the checker stops first.
    /// </summary>
    public Task FirstVerdict => _firstVerdict.Task;

    public void Start() => _loop ??= RunAsync(_stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _firstVerdict.TrySetCanceled(_stop.Token);
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopping is the only way the loop ends.
            }
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_spec.Interval, _time);
        var rounds = 0;
        try
        {
            do
            {
                await Task.WhenAll(_table.ToProbe().Select(p => ProbeAsync(p.Destination, p.Generation, cancellationToken)));
                if (!_firstVerdict.Task.IsCompleted && (++rounds >= StartRounds || _table.EveryRegisteredJudged()))
                {
                    _firstVerdict.TrySetResult();
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A start that waits on a verdict must hear that none is coming.
            _firstVerdict.TrySetException(e);
            throw;
        }
    }

    private async Task ProbeAsync(Destination destination, int generation, CancellationToken cancellationToken)
    {
        var passed = false;
        using var timeout = new CancellationTokenSource(_spec.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var response = await _client.GetAsync(new Uri(destination.Address, _spec.Path), HttpCompletionOption.ResponseHeadersRead, linked.Token);
            passed = response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Refused, reset or too slow: a failed probe, not an error of the checker.
        }

        cancellationToken.ThrowIfCancellationRequested();
        _table.RecordProbe(destination, generation, passed);
    }
}
