namespace ZdPipelines.Platforms.Aws.Clients;

// CloudWatch shapes, requests and responses, named and laid out as AWSSDK.CloudWatch's Amazon.CloudWatch.Model
// (cloudwatch/2010-08-01/service-2.json), so that the SDK can replace CloudWatchClient in one change.

internal sealed record Dimension(string Name, string Value);

internal sealed record Metric
{
    public string? Namespace { get; init; }

    public string? MetricName { get; init; }

    /// <summary>At most 30.</summary>
    public IReadOnlyList<Dimension>? Dimensions { get; init; }
}

internal sealed record MetricStat
{
    public required Metric Metric { get; init; }

    /// <summary>Seconds; a multiple of 60 for standard-resolution metrics.</summary>
    public required int Period { get; init; }

    /// <summary><c>Sum</c>, <c>Average</c>, <c>p99</c>, …</summary>
    public required string Stat { get; init; }

    public string? Unit { get; init; }
}

/// <summary>One query of a GetMetricData call: an <see cref="Id"/> and exactly one of <see cref="MetricStat"/> and <see cref="Expression"/>.</summary>
internal sealed record MetricDataQuery
{
    /// <summary>Starts with a lower-case letter; expressions refer to other queries by it.</summary>
    public required string Id { get; init; }

    public MetricStat? MetricStat { get; init; }

    /// <summary>Metric math over other queries' ids, e.g. <c>100*errors/requests</c>.</summary>
    public string? Expression { get; init; }

    public string? Label { get; init; }

    /// <summary>False for a query that only feeds an expression; AWS's default is true.</summary>
    public bool? ReturnData { get; init; }

    /// <summary>The period of an <see cref="Expression"/> query.</summary>
    public int? Period { get; init; }

    public string? AccountId { get; init; }
}

internal sealed record GetMetricDataRequest
{
    /// <summary>At most 500.</summary>
    public required IReadOnlyList<MetricDataQuery> MetricDataQueries { get; init; }

    /// <summary>Inclusive.</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>Exclusive.</summary>
    public required DateTimeOffset EndTime { get; init; }

    public string? NextToken { get; init; }

    /// <summary><c>TimestampDescending</c> (AWS's default) or <c>TimestampAscending</c>.</summary>
    public string? ScanBy { get; init; }

    public int? MaxDatapoints { get; init; }
}

internal sealed record MessageData(string? Code, string? Value);

internal sealed record MetricDataResult
{
    public string? Id { get; init; }

    public string? Label { get; init; }

    public IReadOnlyList<DateTimeOffset> Timestamps { get; init; } = [];

    /// <summary>One value per timestamp, in the same order.</summary>
    public IReadOnlyList<double> Values { get; init; } = [];

    /// <summary><c>Complete</c>, <c>PartialData</c> (more on the next page), <c>InternalError</c> or <c>Forbidden</c>.</summary>
    public string? StatusCode { get; init; }

    public IReadOnlyList<MessageData>? Messages { get; init; }
}

internal sealed record GetMetricDataResponse(IReadOnlyList<MetricDataResult> MetricDataResults, string? NextToken, IReadOnlyList<MessageData>? Messages);

internal sealed record DescribeAlarmsRequest
{
    /// <summary>At most 100.</summary>
    public IReadOnlyList<string>? AlarmNames { get; init; }

    public string? AlarmNamePrefix { get; init; }

    /// <summary><c>MetricAlarm</c> and/or <c>CompositeAlarm</c>; metric alarms only when not set.</summary>
    public IReadOnlyList<string>? AlarmTypes { get; init; }

    /// <summary><c>OK</c>, <c>ALARM</c> or <c>INSUFFICIENT_DATA</c>.</summary>
    public string? StateValue { get; init; }

    public string? ActionPrefix { get; init; }

    /// <summary>1-100.</summary>
    public int? MaxRecords { get; init; }

    public string? NextToken { get; init; }
}

internal sealed record MetricAlarm
{
    public string? AlarmName { get; init; }

    public string? AlarmArn { get; init; }

    public string? AlarmDescription { get; init; }

    public bool? ActionsEnabled { get; init; }

    /// <summary><c>OK</c>, <c>ALARM</c> or <c>INSUFFICIENT_DATA</c>.</summary>
    public string? StateValue { get; init; }

    public string? StateReason { get; init; }

    public DateTimeOffset? StateUpdatedTimestamp { get; init; }

    public string? MetricName { get; init; }

    public string? Namespace { get; init; }

    public string? Statistic { get; init; }

    public string? ExtendedStatistic { get; init; }

    public IReadOnlyList<Dimension>? Dimensions { get; init; }

    public int? Period { get; init; }

    public string? Unit { get; init; }

    public int? EvaluationPeriods { get; init; }

    public int? DatapointsToAlarm { get; init; }

    public double? Threshold { get; init; }

    public string? ComparisonOperator { get; init; }

    public string? TreatMissingData { get; init; }

    public IReadOnlyList<MetricDataQuery>? Metrics { get; init; }
}

internal sealed record CompositeAlarm
{
    public string? AlarmName { get; init; }

    public string? AlarmArn { get; init; }

    public string? AlarmRule { get; init; }

    public string? StateValue { get; init; }

    public string? StateReason { get; init; }

    public DateTimeOffset? StateUpdatedTimestamp { get; init; }
}

internal sealed record DescribeAlarmsResponse(IReadOnlyList<MetricAlarm> MetricAlarms, IReadOnlyList<CompositeAlarm> CompositeAlarms, string? NextToken);

internal sealed record MetricDatum
{
    public required string MetricName { get; init; }

    public IReadOnlyList<Dimension>? Dimensions { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public double? Value { get; init; }

    public string? Unit { get; init; }

    /// <summary>1 for high resolution, 60 (the default) for standard.</summary>
    public int? StorageResolution { get; init; }
}

internal sealed record PutMetricDataRequest
{
    public required string Namespace { get; init; }

    /// <summary>At most 1000.</summary>
    public required IReadOnlyList<MetricDatum> MetricData { get; init; }
}

internal sealed record PutMetricDataResponse;
