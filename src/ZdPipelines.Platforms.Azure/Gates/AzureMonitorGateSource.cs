using System.Globalization;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Clients;

namespace ZdPipelines.Platforms.Azure.Gates;

/// <summary>
/// The <c>azureMonitor</c> gate: one Metrics_List call per resource that holds the gate's side (the slot or production of the
/// app; rolling: the production of every app updated, or not yet), over the trailing window cut at that version's swap. The
/// 5xx rate is the sum of Http5xx over the sum of Requests, not a mean of per-grain ratios, so a quiet minute weighs as little
/// as it should. No requests, no data points, or a metric Azure Monitor could not read is no data: the gate's noData decides.
/// </summary>
/// <remarks>
/// A slot's metrics count every request its instances served: those the ramp-up rule routed, those pinned there by the
/// x-ms-routing-name cookie, and direct ones on its host name (testers, health probes).
/// </remarks>
internal sealed class AzureMonitorGateSource(AppServicePlatform platform, TimeProvider time) : IGateSource
{
    public string Kind => AzureMonitorGateOptions.Key;

    public async Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var source = gate.SourceAs<AzureMonitorGateOptions>() ?? throw new ArgumentException($"gate '{gate.Name}' has no azureMonitor block", nameof(gate));
        var end = time.GetUtcNow();
        var side = source.Side.ToString().ToLowerInvariant();
        var resources = await platform.MetricSourcesAsync(source.Side, cancellationToken);
        if (resources.Count == 0)
        {
            return Measurement.NoData($"no app runs the {side} version yet");
        }

        var (names, aggregation) = source.Preset switch
        {
            AzureMonitorPreset.Http5xxRate => (new[] { "Http5xx", "Requests" }, MetricAggregationType.Total),
            AzureMonitorPreset.ResponseTime => (["HttpResponseTime"], MetricAggregationType.Average),
            AzureMonitorPreset.Requests => (["Requests"], MetricAggregationType.Total),
            _ => ([source.Metric!], Aggregation(source.Aggregation)),
        };

        var read = new List<(MetricSource Resource, MetricsQueryResult Result)>();
        foreach (var resource in resources)
        {
            var start = end - source.Window;
            if (resource.Since is { } since && since > start)
            {
                start = since;
            }

            if (start >= end)
            {
                continue;
            }

            var result = await QueryAsync(resource, names, aggregation, source.Interval, start, end, cancellationToken);
            if (result.Metrics.FirstOrDefault(m => !m.IsSuccess) is { } failed)
            {
                return Measurement.NoData($"Azure Monitor could not read {failed.Name} of {resource.Label}: {failed.ErrorCode}: {failed.ErrorMessage}");
            }

            read.Add((resource, result));
        }

        var where = string.Join(", ", resources.Select(r => r.Label));
        var window = $"in the last {Durations.Format(source.Window)}";
        switch (source.Preset)
        {
            case AzureMonitorPreset.Http5xxRate:
                {
                    var requests = Sum(read, "Requests", MetricAggregationType.Total);
                    if (requests <= 0)
                    {
                        return Measurement.NoData($"no requests reached {where} {window}");
                    }

                    var errors = Sum(read, "Http5xx", MetricAggregationType.Total);
                    return new Measurement(errors / requests, (int)Math.Min(int.MaxValue, requests),
                        $"{Number(errors)} of {Number(requests)} requests to {where} answered 5xx {window}");
                }

            case AzureMonitorPreset.ResponseTime:
                {
                    var points = Points(read, "HttpResponseTime", MetricAggregationType.Average);
                    return points.Count == 0
                        ? Measurement.NoData($"HttpResponseTime of {where} has no data points {window}")
                        : new Measurement(points.Average(), points.Count, $"mean response time of {where}: {points.Average().ToString("0.###", CultureInfo.InvariantCulture)} s");
                }

            case AzureMonitorPreset.Requests:
                {
                    var points = Points(read, "Requests", MetricAggregationType.Total);
                    return points.Count == 0
                        ? Measurement.NoData($"Requests of {where} has no data points {window}")
                        // Its samples are the requests, as for the 5xx rate: minSamples counts requests wherever the source knows them.
                        : new Measurement(points.Sum(), (int)Math.Min(int.MaxValue, points.Sum()), $"{Number(points.Sum())} requests to {where} {window}");
                }

            default:
                {
                    var metric = source.Metric!;
                    var points = Points(read, metric, aggregation);
                    if (points.Count == 0)
                    {
                        return Measurement.NoData($"{metric} of {where} has no data points {window}");
                    }

                    var value = source.Aggregation switch
                    {
                        AzureMonitorAggregation.Average => points.Average(),
                        AzureMonitorAggregation.Minimum => points.Min(),
                        AzureMonitorAggregation.Maximum => points.Max(),
                        _ => points.Sum(),
                    };
                    return new Measurement(value, points.Count, $"{metric} ({source.Aggregation.ToString().ToLowerInvariant()}) of {where}: {Number(value)} over {points.Count} grain(s)");
                }
        }
    }

    private async Task<MetricsQueryResult> QueryAsync(
        MetricSource resource, IReadOnlyList<string> names, MetricAggregationType aggregation, TimeSpan interval, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        try
        {
            return await platform.Arm.Metrics.QueryResourceAsync(resource.ResourceId, names,
                new MetricsQueryOptions { StartTime = start, EndTime = end, Granularity = interval, Aggregations = [aggregation] }, cancellationToken);
        }
        catch (ArmRequestFailedException e)
        {
            throw new PlatformException(e.Message, e);
        }
        catch (AzureCredentialException e)
        {
            throw new PlatformException(e.Message, e);
        }
    }

    /// <summary>The grain values of one metric's aggregation across every resource read; grains without that value (no data) are left out.</summary>
    private static List<double> Points(IEnumerable<(MetricSource Resource, MetricsQueryResult Result)> read, string metric, MetricAggregationType aggregation) =>
        [.. read.SelectMany(r => r.Result.GetMetricByName(metric)?.TimeSeries ?? [])
            .SelectMany(series => series.Values)
            .Select(v => aggregation switch
            {
                MetricAggregationType.Average => v.Average,
                MetricAggregationType.Minimum => v.Minimum,
                MetricAggregationType.Maximum => v.Maximum,
                MetricAggregationType.Count => v.Count,
                _ => v.Total,
            })
            .OfType<double>()
            .Where(double.IsFinite)];

    private static double Sum(IEnumerable<(MetricSource Resource, MetricsQueryResult Result)> read, string metric, MetricAggregationType aggregation) =>
        Points(read, metric, aggregation).Sum();

    private static MetricAggregationType Aggregation(AzureMonitorAggregation aggregation) => aggregation switch
    {
        AzureMonitorAggregation.Average => MetricAggregationType.Average,
        AzureMonitorAggregation.Minimum => MetricAggregationType.Minimum,
        AzureMonitorAggregation.Maximum => MetricAggregationType.Maximum,
        AzureMonitorAggregation.Count => MetricAggregationType.Count,
        _ => MetricAggregationType.Total,
    };

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
