using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// Active health checks: every interval, GET the health path of each registered destination. A probe
/// passes on a 2xx answer within the timeout; <see cref="DestinationTable"/> applies the thresholds.
/// </summary>
internal sealed class HealthChecker : IAsyncDisposable
{
    private readonly DestinationTable _table;
    private readonly HealthCheckSpec _spec;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
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

    public void Start() => _loop ??= RunAsync(_stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
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
        do
        {
            await Task.WhenAll(_table.ToProbe().Select(p => ProbeAsync(p.Destination, p.Generation, cancellationToken)));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
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
