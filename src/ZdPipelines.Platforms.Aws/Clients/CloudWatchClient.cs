using System.Xml.Linq;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// CloudWatch over the Query protocol, API version 2010-08-01, SigV4 service <c>monitoring</c>; IAM actions are
/// <c>cloudwatch:*</c>. Method, request and response names follow AWSSDK.CloudWatch's <c>IAmazonCloudWatch</c>.
/// </summary>
internal sealed class CloudWatchClient
{
    private readonly AwsQueryClient _query;

    internal CloudWatchClient(AwsQueryClient query) => _query = query;

    /// <summary>Calls and HTTP requests per action since this client was made (or the counter was reset).</summary>
    public AwsCallCounter Counter => _query.Counter;

    public Uri Endpoint => _query.Endpoint;

    public async Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await _query.SendAsync("GetMetricData", new QueryParameters()
            .AddList("MetricDataQueries", request.MetricDataQueries, WriteQuery)
            .Add("StartTime", request.StartTime)
            .Add("EndTime", request.EndTime)
            .Add("NextToken", request.NextToken)
            .Add("ScanBy", request.ScanBy)
            .Add("MaxDatapoints", request.MaxDatapoints), cancellationToken);
        return new(
            result.Members("MetricDataResults").Select(ReadResult).ToList(),
            NextToken(result),
            result.List("Messages", ReadMessage));
    }

    /// <summary>
    /// Every page of a GetMetricData call, merged: the results of one query id over all pages become one result, its
    /// timestamps and values in page order (a long range comes back <c>PartialData</c> with a NextToken).
    /// </summary>
    public async Task<GetMetricDataResponse> GetMetricDataAllAsync(GetMetricDataRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var merged = new Dictionary<string, MetricDataResult>(StringComparer.Ordinal);
        var order = new List<string>();
        var messages = new List<MessageData>();
        await foreach (var page in Pages(request, cancellationToken))
        {
            messages.AddRange(page.Messages ?? []);
            foreach (var result in page.MetricDataResults)
            {
                var id = result.Id ?? string.Empty;
                if (!merged.TryGetValue(id, out var sofar))
                {
                    merged[id] = result;
                    order.Add(id);
                    continue;
                }

                merged[id] = sofar with
                {
                    Label = sofar.Label ?? result.Label,
                    Timestamps = [.. sofar.Timestamps, .. result.Timestamps],
                    Values = [.. sofar.Values, .. result.Values],
                    StatusCode = result.StatusCode,
                    Messages = sofar.Messages is null && result.Messages is null ? null : [.. sofar.Messages ?? [], .. result.Messages ?? []],
                };
            }
        }

        return new(order.Select(id => merged[id]).ToList(), null, messages.Count == 0 ? null : messages);
    }

    public async Task<DescribeAlarmsResponse> DescribeAlarmsAsync(DescribeAlarmsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await _query.SendAsync("DescribeAlarms", new QueryParameters()
            .AddList("AlarmNames", request.AlarmNames)
            .Add("AlarmNamePrefix", request.AlarmNamePrefix)
            .AddList("AlarmTypes", request.AlarmTypes)
            .Add("StateValue", request.StateValue)
            .Add("ActionPrefix", request.ActionPrefix)
            .Add("MaxRecords", request.MaxRecords)
            .Add("NextToken", request.NextToken), cancellationToken);
        return new(
            result.Members("MetricAlarms").Select(ReadMetricAlarm).ToList(),
            result.Members("CompositeAlarms").Select(ReadCompositeAlarm).ToList(),
            NextToken(result));
    }

    /// <summary>Every page of a DescribeAlarms call, merged into one answer.</summary>
    public async Task<DescribeAlarmsResponse> DescribeAlarmsAllAsync(DescribeAlarmsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var metric = new List<MetricAlarm>();
        var composite = new List<CompositeAlarm>();
        var pages = QueryPagination.PagesAsync(
            request, r => r.NextToken, (r, t) => r with { NextToken = t }, DescribeAlarmsAsync, p => p.NextToken, cancellationToken);
        await foreach (var page in pages)
        {
            metric.AddRange(page.MetricAlarms);
            composite.AddRange(page.CompositeAlarms);
        }

        return new(metric, composite, null);
    }

    /// <summary>Publishes data points (tests seed emulators with it; a deployment has no use for it).</summary>
    public async Task<PutMetricDataResponse> PutMetricDataAsync(PutMetricDataRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _query.SendAsync("PutMetricData", new QueryParameters()
            .Add("Namespace", request.Namespace)
            .AddList("MetricData", request.MetricData, (p, d) => p
                .Add("MetricName", d.MetricName)
                .AddList("Dimensions", d.Dimensions, WriteDimension)
                .Add("Timestamp", d.Timestamp)
                .Add("Value", d.Value)
                .Add("Unit", d.Unit)
                .Add("StorageResolution", d.StorageResolution)), cancellationToken);
        return new();
    }

    private IAsyncEnumerable<GetMetricDataResponse> Pages(GetMetricDataRequest request, CancellationToken cancellationToken) =>
        QueryPagination.PagesAsync(
            request, r => r.NextToken, (r, t) => r with { NextToken = t }, GetMetricDataAsync, p => p.NextToken, cancellationToken);

    private static void WriteQuery(QueryParameters p, MetricDataQuery query) => p
        .Add("Id", query.Id)
        .AddStruct("MetricStat", query.MetricStat, (s, stat) => s
            .AddStruct("Metric", stat.Metric, WriteMetric)
            .Add("Period", stat.Period)
            .Add("Stat", stat.Stat)
            .Add("Unit", stat.Unit))
        .Add("Expression", query.Expression)
        .Add("Label", query.Label)
        .Add("ReturnData", query.ReturnData)
        .Add("Period", query.Period)
        .Add("AccountId", query.AccountId);

    private static void WriteMetric(QueryParameters p, Metric metric) => p
        .Add("Namespace", metric.Namespace)
        .Add("MetricName", metric.MetricName)
        .AddList("Dimensions", metric.Dimensions, WriteDimension);

    private static void WriteDimension(QueryParameters p, Dimension dimension) => p.Add("Name", dimension.Name).Add("Value", dimension.Value);

    private static MetricDataResult ReadResult(XElement e) => new()
    {
        Id = e.Text("Id"),
        Label = e.Text("Label"),
        Timestamps = e.Members("Timestamps").Select(t => QueryXml.ParseTimestamp(t.Value)).ToList(),
        Values = e.Members("Values").Select(v => QueryXml.ParseDouble(v.Value)).ToList(),
        StatusCode = e.Text("StatusCode"),
        Messages = e.List("Messages", ReadMessage),
    };

    private static MessageData ReadMessage(XElement e) => new(e.Text("Code"), e.Text("Value"));

    private static Dimension ReadDimension(XElement e) => new(e.Text("Name") ?? string.Empty, e.Text("Value") ?? string.Empty);

    private static MetricAlarm ReadMetricAlarm(XElement e) => new()
    {
        AlarmName = e.Text("AlarmName"),
        AlarmArn = e.Text("AlarmArn"),
        AlarmDescription = e.Text("AlarmDescription"),
        ActionsEnabled = e.Bool("ActionsEnabled"),
        StateValue = e.Text("StateValue"),
        StateReason = e.Text("StateReason"),
        StateUpdatedTimestamp = e.Timestamp("StateUpdatedTimestamp"),
        MetricName = e.Text("MetricName"),
        Namespace = e.Text("Namespace"),
        Statistic = e.Text("Statistic"),
        ExtendedStatistic = e.Text("ExtendedStatistic"),
        Dimensions = e.List("Dimensions", ReadDimension),
        Period = e.Int("Period"),
        Unit = e.Text("Unit"),
        EvaluationPeriods = e.Int("EvaluationPeriods"),
        DatapointsToAlarm = e.Int("DatapointsToAlarm"),
        Threshold = e.Double("Threshold"),
        ComparisonOperator = e.Text("ComparisonOperator"),
        TreatMissingData = e.Text("TreatMissingData"),
        Metrics = e.List("Metrics", ReadQuery),
    };

    private static MetricDataQuery ReadQuery(XElement e) => new()
    {
        Id = e.Text("Id") ?? string.Empty,
        MetricStat = e.Child("MetricStat") is { } s
            ? new MetricStat
            {
                Metric = new Metric
                {
                    Namespace = s.Child("Metric").Text("Namespace"),
                    MetricName = s.Child("Metric").Text("MetricName"),
                    Dimensions = s.Child("Metric").List("Dimensions", ReadDimension),
                },
                Period = s.Int("Period") ?? 0,
                Stat = s.Text("Stat") ?? string.Empty,
                Unit = s.Text("Unit"),
            }
            : null,
        Expression = e.Text("Expression"),
        Label = e.Text("Label"),
        ReturnData = e.Bool("ReturnData"),
        Period = e.Int("Period"),
        AccountId = e.Text("AccountId"),
    };

    private static CompositeAlarm ReadCompositeAlarm(XElement e) => new()
    {
        AlarmName = e.Text("AlarmName"),
        AlarmArn = e.Text("AlarmArn"),
        AlarmRule = e.Text("AlarmRule"),
        StateValue = e.Text("StateValue"),
        StateReason = e.Text("StateReason"),
        StateUpdatedTimestamp = e.Timestamp("StateUpdatedTimestamp"),
    };

    private static string? NextToken(XElement result) => result.Text("NextToken") is { Length: > 0 } token ? token : null;
}
