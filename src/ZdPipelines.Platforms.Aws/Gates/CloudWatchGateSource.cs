using System.Globalization;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Gates;

/// <summary>
/// The <c>cloudWatch</c> gate: one GetMetricData call per measurement over the trailing window. Presets read the ALB's
/// own metrics with the dimensions derived from the ARNs; the 5xx rate is computed as the sum of 5xx over the sum of
/// requests in the window, not as a mean of per-minute ratios, so a quiet minute does not weigh as much as a busy one.
/// </summary>
internal sealed class CloudWatchGateSource(CloudWatchClient cloudWatch, AlbPlatform alb, TimeProvider time) : IGateSource
{
    private const string AlbNamespace = "AWS/ApplicationELB";

    public string Kind => "cloudWatch";

    public async Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken)
    {
        var source = gate.SourceAs<CloudWatchGateOptions>() ?? throw new ArgumentException($"gate '{gate.Name}' has no cloudWatch block", nameof(gate));
        var end = time.GetUtcNow();
        var start = end - source.Window;
        return source.Preset is { } preset
            ? await PresetAsync(preset, source, start, end, cancellationToken)
            : await QueriesAsync(source, context.Side, start, end, cancellationToken);
    }

    private async Task<Measurement> PresetAsync(AlbMetricPreset preset, CloudWatchGateOptions source, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var group = await alb.TargetGroupArnAsync(source.Side, cancellationToken);
        var dimensions = new List<Dimension>
        {
            new("LoadBalancer", AlbArns.LoadBalancerDimension(alb.LoadBalancerArn)),
            new("TargetGroup", AlbArns.TargetGroupDimension(group)),
        };
        var period = Seconds(source.Period);
        MetricDataQuery Stat(string id, string metric, string stat, int seconds) => new()
        {
            Id = id,
            MetricStat = new MetricStat { Metric = new Metric { Namespace = AlbNamespace, MetricName = metric, Dimensions = dimensions }, Period = seconds, Stat = stat },
        };

        var side = source.Side.ToString().ToLowerInvariant();
        var name = AlbArns.TargetGroupName(group);
        switch (preset)
        {
            case AlbMetricPreset.TargetGroup5xxRate:
                {
                    var results = await QueryAsync([Stat("errors", "HTTPCode_Target_5XX_Count", "Sum", period), Stat("requests", "RequestCount", "Sum", period)], start, end, cancellationToken);
                    var requests = Sum(results, "requests");
                    if (requests <= 0)
                    {
                        return Measurement.NoData($"no requests reached {side} target group {name} in the last {Durations.Format(source.Window)}");
                    }

                    var errors = Sum(results, "errors");
                    return new Measurement(errors / requests, (int)Math.Min(int.MaxValue, requests), $"{errors.ToString(CultureInfo.InvariantCulture)} of {requests.ToString(CultureInfo.InvariantCulture)} requests to {name} answered 5xx");
                }

            case AlbMetricPreset.RequestCount:
                {
                    var results = await QueryAsync([Stat("requests", "RequestCount", "Sum", period)], start, end, cancellationToken);
                    var points = Points(results, "requests");
                    return points.Count == 0
                        ? Measurement.NoData($"RequestCount of {name} has no data points in the last {Durations.Format(source.Window)}")
                        // Its samples are the requests, as for the 5xx rate: minSamples counts requests wherever the source knows them.
                        : new Measurement(points.Sum(), (int)Math.Min(int.MaxValue, points.Sum()), $"{points.Sum().ToString(CultureInfo.InvariantCulture)} requests to {name}");
                }

            default:
                {
                    // One period as long as the window: CloudWatch computes the percentile over all of it.
                    var results = await QueryAsync([Stat("p99", "TargetResponseTime", "p99", WindowPeriod(source))], start, end, cancellationToken);
                    var points = Points(results, "p99");
                    return points.Count == 0
                        ? Measurement.NoData($"TargetResponseTime of {name} has no data points in the last {Durations.Format(source.Window)}")
                        : new Measurement(points.Max(), points.Count, $"p99 response time of {name}: {points.Max().ToString("0.###", CultureInfo.InvariantCulture)} s");
                }
        }
    }

    private async Task<Measurement> QueriesAsync(CloudWatchGateOptions source, Side side, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{loadBalancer}"] = AlbArns.LoadBalancerDimension(alb.LoadBalancerArn),
            ["{targetGroup}"] = AlbArns.TargetGroupDimension(await alb.TargetGroupArnAsync(side, cancellationToken)),
            ["{stableTargetGroup}"] = AlbArns.TargetGroupDimension(await alb.TargetGroupArnAsync(Side.Stable, cancellationToken)),
            ["{candidateTargetGroup}"] = AlbArns.TargetGroupDimension(await alb.TargetGroupArnAsync(Side.Candidate, cancellationToken)),
        };
        string Fill(string text) => values.Aggregate(text, (t, p) => t.Replace(p.Key, p.Value, StringComparison.Ordinal));

        var queries = source.Queries.Select(q => new MetricDataQuery
        {
            Id = q.Id,
            Expression = q.Expression,
            ReturnData = q.ReturnData,
            MetricStat = q.Metric is not { } m ? null : new MetricStat
            {
                Metric = new Metric { Namespace = m.Namespace, MetricName = m.Name, Dimensions = [.. m.Dimensions.Select(d => new Dimension(d.Key, Fill(d.Value)))] },
                Period = Seconds(source.Period),
                Stat = m.Stat,
            },
        }).ToList();
        var returned = source.Queries.Single(q => q.ReturnData).Id;
        var points = Points(await QueryAsync(queries, start, end, cancellationToken), returned);
        return points.Count == 0
            ? Measurement.NoData($"query '{returned}' has no data points in the last {Durations.Format(source.Window)}")
            : new Measurement(points.Average(), points.Count, $"query '{returned}': mean of {points.Count} data point(s)");
    }

    private async Task<IReadOnlyList<MetricDataResult>> QueryAsync(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        try
        {
            var response = await cloudWatch.GetMetricDataAllAsync(new GetMetricDataRequest { MetricDataQueries = queries, StartTime = start, EndTime = end }, cancellationToken);
            return response.MetricDataResults;
        }
        catch (AwsServiceException e)
        {
            throw new Core.Platforms.PlatformException(e.Message, e);
        }
    }

    private static List<double> Points(IReadOnlyList<MetricDataResult> results, string id) =>
        results.Where(r => r.Id == id).SelectMany(r => r.Values).Where(double.IsFinite).ToList();

    private static double Sum(IReadOnlyList<MetricDataResult> results, string id) => Points(results, id).Sum();

    private static int Seconds(TimeSpan period) => (int)Math.Max(60, Math.Round(period.TotalSeconds));

    /// <summary>The window rounded up to whole minutes, the periods CloudWatch accepts for ALB metrics.</summary>
    private static int WindowPeriod(CloudWatchGateOptions source) => (int)Math.Max(60, Math.Ceiling(source.Window.TotalSeconds / 60) * 60);
}
