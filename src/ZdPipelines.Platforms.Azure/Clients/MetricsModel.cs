using System.Text.Json;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// What to ask <c>Metrics_List</c> for. Named as Azure.Monitor.Query's <c>MetricsQueryOptions</c>; each member says the query
/// parameter it becomes (metrics_API.json 2024-02-01 and commonMonitoringTypes.json).
/// </summary>
internal sealed record MetricsQueryOptions
{
    /// <summary><c>timespan</c>: <c>start/end</c> in ISO 8601. Required here: a gate always asks about a window it chose.</summary>
    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset EndTime { get; init; }

    /// <summary><c>interval</c>, the time grain, in ISO 8601 (<c>PT1M</c>); null is the service's default, one minute.</summary>
    public TimeSpan? Granularity { get; init; }

    /// <summary><c>aggregation</c>: only these appear in the data points.</summary>
    public IReadOnlyList<MetricAggregationType> Aggregations { get; init; } = [];

    /// <summary><c>metricnamespace</c>, e.g. <c>Microsoft.Web/sites</c>; null lets the service pick the resource's default.</summary>
    public string? MetricNamespace { get; init; }

    /// <summary><c>$filter</c> over dimensions, e.g. <c>Instance eq '*'</c>.</summary>
    public string? Filter { get; init; }
}

/// <summary>The <c>aggregation</c> values (commonMonitoringTypes.json <c>MetricValue</c> members). Mirrors Azure.Monitor.Query's <c>MetricAggregationType</c>.</summary>
internal enum MetricAggregationType
{
    Average,
    Count,
    Minimum,
    Maximum,
    Total,
}

/// <summary>metrics_API.json <c>Response</c>. Mirrors Azure.Monitor.Query's <c>MetricsQueryResult</c>.</summary>
internal sealed record MetricsQueryResult(int? Cost, string TimeSpan, string? Granularity, string? Namespace, string? ResourceRegion, IReadOnlyList<MetricResult> Metrics)
{
    /// <summary>The metric named <paramref name="name"/> (case-insensitive, as Azure Monitor treats names), or null.</summary>
    public MetricResult? GetMetricByName(string name) =>
        Metrics.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    internal static MetricsQueryResult FromJson(JsonElement json) => new(
        ArmJson.Int(json, "cost"),
        ArmJson.String(json, "timespan") ?? throw new JsonException("the metrics answer has no 'timespan'"),
        ArmJson.String(json, "interval"),
        ArmJson.String(json, "namespace"),
        ArmJson.String(json, "resourceregion"),
        (ArmJson.Member(json, "value") is { ValueKind: JsonValueKind.Array } ? ArmJson.Objects(json, "value") : throw new JsonException("the metrics answer has no 'value'"))
            .Select(MetricResult.FromJson).ToList());
}

/// <summary>
/// commonMonitoringTypes.json <c>Metric</c>. A metric that failed on its own comes back inside a 200 with
/// <see cref="ErrorCode"/> other than <c>Success</c> and no time series (examples/GetMetricError.json).
/// Mirrors Azure.Monitor.Query's <c>MetricResult</c>.
/// </summary>
internal sealed record MetricResult(
    string Id, string Name, string? LocalizedName, string? Description, string? Unit, string? ErrorCode, string? ErrorMessage, IReadOnlyList<MetricTimeSeriesElement> TimeSeries)
{
    public const string SuccessCode = "Success";

    /// <summary>True unless the service reported an error for this metric.</summary>
    public bool IsSuccess => ErrorCode is null || string.Equals(ErrorCode, SuccessCode, StringComparison.OrdinalIgnoreCase);

    internal static MetricResult FromJson(JsonElement json) => new(
        ArmJson.String(json, "id") ?? "",
        ArmJson.String(json, "name.value") ?? throw new JsonException("a metric has no 'name.value'"),
        ArmJson.String(json, "name.localizedValue"),
        ArmJson.String(json, "displayDescription"),
        ArmJson.String(json, "unit"),
        ArmJson.String(json, "errorCode"),
        ArmJson.String(json, "errorMessage"),
        ArmJson.Objects(json, "timeseries").Select(MetricTimeSeriesElement.FromJson).ToList());
}

/// <summary>commonMonitoringTypes.json <c>TimeSeriesElement</c>. Mirrors Azure.Monitor.Query's <c>MetricTimeSeriesElement</c>.</summary>
internal sealed record MetricTimeSeriesElement(IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<MetricValue> Values)
{
    internal static MetricTimeSeriesElement FromJson(JsonElement json) => new(
        ArmJson.Objects(json, "metadatavalues")
            .Where(m => ArmJson.String(m, "name.value") is not null)
            .ToDictionary(m => ArmJson.String(m, "name.value")!, m => ArmJson.String(m, "value") ?? "", StringComparer.OrdinalIgnoreCase),
        ArmJson.Objects(json, "data").Select(MetricValue.FromJson).ToList());
}

/// <summary>
/// commonMonitoringTypes.json <c>MetricValue</c>: only <c>timeStamp</c> is required; a grain without data has no values, which a
/// gate must read as "no data", not as zero.
/// </summary>
internal sealed record MetricValue(DateTimeOffset TimeStamp, double? Average, double? Minimum, double? Maximum, double? Total, double? Count)
{
    internal static MetricValue FromJson(JsonElement json) => new(
        ArmJson.Time(json, "timeStamp") ?? throw new JsonException("a metric value has no 'timeStamp'"),
        ArmJson.Double(json, "average"),
        ArmJson.Double(json, "minimum"),
        ArmJson.Double(json, "maximum"),
        ArmJson.Double(json, "total"),
        ArmJson.Double(json, "count"));
}
