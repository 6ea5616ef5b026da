using System.Globalization;
using System.Text.Json;
using System.Xml;
using Azure.Core;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// Azure Monitor platform metrics of a resource (a site or a slot): <c>Metrics_List</c>,
/// <c>GET /{resourceUri}/providers/Microsoft.Insights/metrics</c>, api-version <see cref="ArmOperationCatalog.MetricsApiVersion"/>.
/// App Service names its metrics <c>Requests</c>, <c>Http5xx</c> (totals) and <c>HttpResponseTime</c> (average, seconds).
/// </summary>
internal sealed class MetricsClient(ArmPipeline arm)
{
    /// <summary>The service's limit on <c>metricnames</c> per call (metrics_API.json: "At most 20 metric names are allowed").</summary>
    public const int MaxMetricNames = 20;

    private const string ApiVersion = ArmOperationCatalog.MetricsApiVersion;

    public ArmCallCounter Counter => arm.Counter;

    /// <summary>
    /// <c>Metrics_List</c> with <c>resultType</c> Data. A metric that failed alone is a <see cref="MetricResult"/> whose
    /// <see cref="MetricResult.IsSuccess"/> is false, not an exception. Mirrors Azure.Monitor.Query's <c>MetricsQueryClient.QueryResourceAsync</c>.
    /// </summary>
    public async Task<MetricsQueryResult> QueryResourceAsync(
        ResourceIdentifier resourceId, IReadOnlyList<string> metrics, MetricsQueryOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        if (metrics.Count is 0 or > MaxMetricNames)
        {
            throw new ArgumentException($"ask for 1 to {MaxMetricNames} metrics per call, not {metrics.Count}.", nameof(metrics));
        }

        if (options.EndTime <= options.StartTime)
        {
            throw new ArgumentException($"the metrics window ends ({options.EndTime:O}) before it starts ({options.StartTime:O}).", nameof(options));
        }

        var uri = arm.BuildUri(
            resourceId + "/providers/Microsoft.Insights/metrics",
            ApiVersion,
            ("timespan", $"{Iso(options.StartTime)}/{Iso(options.EndTime)}"),
            ("interval", options.Granularity is { } grain ? XmlConvert.ToString(grain) : null),
            // "If a metricname itself has a comma in it then use %2 to indicate it" (MetricNamesParameter).
            ("metricnames", string.Join(',', metrics.Select(m => m.Replace(",", "%2", StringComparison.Ordinal)))),
            ("aggregation", options.Aggregations.Count == 0 ? null : string.Join(',', options.Aggregations.Select(a => a.ToString().ToLowerInvariant()))),
            ("metricnamespace", options.MetricNamespace),
            ("$filter", options.Filter),
            ("resultType", "Data"));
        var operation = ArmOperationCatalog.ListMetrics;
        var answer = await arm.SendAsync(RequestMethod.Get, uri, null, operation, resourceId, cancellationToken);
        try
        {
            return MetricsQueryResult.FromJson(answer.Json(operation, resourceId));
        }
        catch (JsonException e)
        {
            throw new ArmRequestFailedException(answer.Status, ArmRequestFailedException.InvalidResponseCode, e.Message, operation, resourceId.ToString(), answer.RequestId, e);
        }
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
