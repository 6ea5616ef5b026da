using System.Globalization;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Gates.Http;

/// <summary>
/// A gate measured by probing a URL a few times: the share of probes answered with the expected status
/// (and body), or the 95th percentile latency of the probes that got an answer.
/// </summary>
public sealed class HttpGateSource(TimeProvider time, HttpClient? client = null) : IGateSource
{
    private static readonly HttpClient SharedClient = CreateClient();

    private readonly HttpClient _client = client ?? SharedClient;

    public string Kind => "http";

    public async Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken)
    {
        var http = gate.SourceAs<HttpGateOptions>() ?? throw new ArgumentException($"gate '{gate.Name}' has no http block", nameof(gate));
        var url = context.Expand(http.Url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return Measurement.NoData($"'{url}' (from '{http.Url}') is not an absolute http(s) URL; the platform may not have an address for {{address}}/{{preview}}");
        }

        var passed = 0;
        var latencies = new List<double>(http.Probes);
        string? lastFailure = null;
        for (var i = 0; i < http.Probes; i++)
        {
            var (ok, latency, failure) = await ProbeAsync(uri, http, cancellationToken);
            passed += ok ? 1 : 0;
            if (latency is { } ms)
            {
                latencies.Add(ms);
            }

            lastFailure = failure ?? lastFailure;
        }

        var failed = http.Probes - passed;
        var detail = $"{passed} of {http.Probes} probes of {url} answered {http.ExpectStatus}" +
            (http.BodyContains is null ? "" : $" containing '{http.BodyContains}'") +
            (failed > 0 && lastFailure is not null ? $"; last failure: {lastFailure}" : "");
        if (http.Measure == HttpMeasure.SuccessRate)
        {
            return new Measurement(http.Probes == 0 ? null : (double)passed / http.Probes, http.Probes, detail);
        }

        // Latency is only known for probes that got an answer; refused connections would read as "fast".
        return latencies.Count == 0
            ? Measurement.NoData($"no probe of {url} got a response, so there is no latency to report; last failure: {lastFailure}")
            : new Measurement(Percentile95(latencies), latencies.Count, detail);
    }

    /// <summary>Nearest-rank 95th percentile: with five probes it is the slowest one, which is what p95 of five means.</summary>
    internal static double Percentile95(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(0.95 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private async Task<(bool Ok, double? LatencyMs, string? Failure)> ProbeAsync(Uri uri, HttpGateOptions spec, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(spec.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = time.GetTimestamp();
        try
        {
            using var response = await _client.GetAsync(uri, HttpCompletionOption.ResponseContentRead, linked.Token);
            var body = spec.BodyContains is null ? "" : await response.Content.ReadAsStringAsync(linked.Token);
            var latency = time.GetElapsedTime(started).TotalMilliseconds;
            var status = (int)response.StatusCode;
            if (status != spec.ExpectStatus)
            {
                return (false, latency, $"status {status.ToString(CultureInfo.InvariantCulture)}, expected {spec.ExpectStatus.ToString(CultureInfo.InvariantCulture)}");
            }

            return spec.BodyContains is { } expected && !body.Contains(expected, StringComparison.Ordinal)
                ? (false, latency, $"the body does not contain '{expected}'")
                : (true, latency, null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (false, null, $"no response within {Durations.Format(spec.Timeout)}");
        }
        catch (HttpRequestException e)
        {
            return (false, null, e.Message);
        }
    }

    private static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        // A probe checks what the URL itself answers, as a load balancer's health check does:
        // following a redirect would report the status of another page.
        AllowAutoRedirect = false,
        // Blue-green switches change what an address resolves to; pooled connections must not outlive that for long.
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        // Each probe has its own timeout from the spec.
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
