using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

/// <summary>CloudWatchClient against moto_server's CloudWatch (Query protocol).</summary>
public sealed class CloudWatchClientTests(MotoServer moto) : MotoTest(moto)
{
    private static readonly Dimension LoadBalancer = new("LoadBalancer", "app/web-alb/50dc6c495c0c9188");
    private static readonly Dimension Green = new("TargetGroup", "targetgroup/web-green/09a3f2b6a8c9e1d0");

    protected override bool BuildsAlb => false;

    [Fact]
    public async Task GetMetricData_returns_the_sums_PutMetricData_stored_per_minute()
    {
        var cloudWatch = Factory.CreateCloudWatchClient();
        var start = Minute(DateTimeOffset.UtcNow) - TimeSpan.FromMinutes(10);
        await PutAsync(cloudWatch, "RequestCount", [(start.AddMinutes(1).AddSeconds(5), 40), (start.AddMinutes(1).AddSeconds(35), 2), (start.AddMinutes(3).AddSeconds(10), 10)]);

        var response = await cloudWatch.GetMetricDataAsync(new()
        {
            MetricDataQueries = [new() { Id = "requests", MetricStat = Stat("RequestCount", "Sum"), ReturnData = true }],
            StartTime = start,
            EndTime = start.AddMinutes(5),
            ScanBy = "TimestampAscending",
        });

        var result = Assert.Single(response.MetricDataResults);
        Assert.Equal("requests", result.Id);
        Assert.Equal("Complete", result.StatusCode);
        Assert.Equal([start.AddMinutes(1), start.AddMinutes(3)], result.Timestamps);
        Assert.Equal([42.0, 10.0], result.Values);
        Assert.Null(response.NextToken);
    }

    [Fact]
    public async Task A_query_that_only_feeds_an_expression_is_not_returned()
    {
        var cloudWatch = Factory.CreateCloudWatchClient();
        var start = Minute(DateTimeOffset.UtcNow) - TimeSpan.FromMinutes(10);
        await PutAsync(cloudWatch, "HTTPCode_Target_5XX_Count", [(start.AddMinutes(2), 3)]);

        // moto's metric math only evaluates an expression that names one other query (cloudwatch/metric_data_expression_parser.py);
        // AWS evaluates full expressions such as 100*errors/requests.
        var response = await cloudWatch.GetMetricDataAllAsync(new()
        {
            MetricDataQueries =
            [
                new() { Id = "errors", MetricStat = Stat("HTTPCode_Target_5XX_Count", "Sum"), ReturnData = false },
                new() { Id = "errorsSeen", Expression = "errors", Label = "5xx on green" },
            ],
            StartTime = start,
            EndTime = start.AddMinutes(5),
        });

        var result = Assert.Single(response.MetricDataResults);
        Assert.Equal("errorsSeen", result.Id);
        Assert.Equal("5xx on green", result.Label);
        Assert.Equal([3.0], result.Values);
    }

    [Fact]
    public async Task A_period_without_data_gives_no_points_rather_than_zeros()
    {
        var cloudWatch = Factory.CreateCloudWatchClient();
        var start = Minute(DateTimeOffset.UtcNow) - TimeSpan.FromMinutes(10);

        var response = await cloudWatch.GetMetricDataAsync(new()
        {
            MetricDataQueries = [new() { Id = "requests", MetricStat = Stat("RequestCount", "Sum") }],
            StartTime = start,
            EndTime = start.AddMinutes(5),
        });

        var result = Assert.Single(response.MetricDataResults);
        Assert.Empty(result.Timestamps);
        Assert.Empty(result.Values);
    }

    [Fact]
    public async Task DescribeAlarms_reports_an_alarm_in_the_ALARM_state()
    {
        var cloudWatch = Factory.CreateCloudWatchClient();
        var raw = Factory.CreateQueryClient(AwsQueryService.CloudWatch);
        foreach (var name in new[] { "web-green-5xx", "web-green-latency", "api-5xx" })
        {
            await raw.SendAsync("PutMetricAlarm", new QueryParameters()
                .Add("AlarmName", name)
                .Add("MetricName", "HTTPCode_Target_5XX_Count")
                .Add("Namespace", "AWS/ApplicationELB")
                .Add("Statistic", "Sum")
                .AddList("Dimensions", new[] { LoadBalancer, Green }, (p, d) => p.Add("Name", d.Name).Add("Value", d.Value))
                .Add("Period", 60)
                .Add("EvaluationPeriods", 1)
                .Add("Threshold", 5.0)
                .Add("ComparisonOperator", "GreaterThanThreshold"), CancellationToken.None);
        }

        await raw.SendAsync("SetAlarmState", new QueryParameters()
            .Add("AlarmName", "web-green-5xx")
            .Add("StateValue", "ALARM")
            .Add("StateReason", "Threshold Crossed: 1 datapoint [9.0] was greater than the threshold (5.0)."), CancellationToken.None);

        var alarming = await cloudWatch.DescribeAlarmsAsync(new() { StateValue = "ALARM" });
        var byPrefix = await cloudWatch.DescribeAlarmsAllAsync(new() { AlarmNamePrefix = "web-" });

        var alarm = Assert.Single(alarming.MetricAlarms);
        Assert.Equal("web-green-5xx", alarm.AlarmName);
        Assert.Equal("ALARM", alarm.StateValue);
        Assert.StartsWith("Threshold Crossed", alarm.StateReason);
        Assert.Equal($"arn:aws:cloudwatch:{Moto.Region}:{Moto.AccountId}:alarm:web-green-5xx", alarm.AlarmArn);
        Assert.Equal(5.0, alarm.Threshold);
        Assert.Equal([LoadBalancer, Green], alarm.Dimensions!);
        Assert.Empty(alarming.CompositeAlarms);
        Assert.Equal(["web-green-5xx", "web-green-latency"], byPrefix.MetricAlarms.Select(a => a.AlarmName!).Order(StringComparer.Ordinal));

        // moto starts a new alarm in OK (moto/cloudwatch/models.py Alarm.__init__); AWS sets it to INSUFFICIENT_DATA
        // ("When this operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA", cloudwatch
        // model, PutMetricAlarm). A gate must not take a fresh OK from moto as "checked and fine".
        Assert.Equal("OK", byPrefix.MetricAlarms.Single(a => a.AlarmName == "web-green-latency").StateValue);
    }

    private static MetricStat Stat(string metricName, string stat) => new()
    {
        Metric = new() { Namespace = "AWS/ApplicationELB", MetricName = metricName, Dimensions = [LoadBalancer, Green] },
        Period = 60,
        Stat = stat,
    };

    private static Task<PutMetricDataResponse> PutAsync(CloudWatchClient cloudWatch, string metricName, IEnumerable<(DateTimeOffset At, double Value)> points) =>
        cloudWatch.PutMetricDataAsync(new()
        {
            Namespace = "AWS/ApplicationELB",
            MetricData = [.. points.Select(p => new MetricDatum { MetricName = metricName, Dimensions = [LoadBalancer, Green], Timestamp = p.At, Value = p.Value, Unit = "Count" })],
        });

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
}
