using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using ZdPipelines.AzureEmulator.State;

namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>
/// <c>Metrics_List</c> (metrics_API.json 2024-02-01) on an emulated site or slot, computed from the data-plane requests that
/// slot served: App Service's <c>Requests</c>, <c>Http2xx</c>, <c>Http4xx</c>, <c>Http5xx</c> and <c>HttpResponseTime</c>.
/// Each request is one sample (1 for Requests; 1 or 0 for the status classes; its duration in seconds for the response time),
/// and a grain's total, count, average, minimum and maximum are taken over its samples. A grain without samples carries only
/// its <c>timeStamp</c>. A metric name the emulator does not know fails alone, inside a 200 (GetMetricError.json).
/// </summary>
internal sealed class MetricsOperations(ArmState state, Func<IReadOnlyList<DataPlaneRequest>> served)
{
    public const string UnknownMetricCode = "MetricNotFound";

    private static readonly Dictionary<string, MetricDefinition> Definitions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Requests"] = new("Requests", "Requests", "The total number of requests regardless of their resulting HTTP status code.", "Count", "total", _ => 1),
        ["Http2xx"] = new("Http2xx", "Http 2xx", "The count of requests resulting in an HTTP status code >= 200 but < 300.", "Count", "total", r => r.Status is >= 200 and < 300 ? 1 : 0),
        ["Http4xx"] = new("Http4xx", "Http 4xx", "The count of requests resulting in an HTTP status code >= 400 but < 500.", "Count", "total", r => r.Status is >= 400 and < 500 ? 1 : 0),
        ["Http5xx"] = new("Http5xx", "Http Server Errors", "The count of requests resulting in an HTTP status code >= 500 but < 600.", "Count", "total", r => r.Status is >= 500 and < 600 ? 1 : 0),
        ["HttpResponseTime"] = new("HttpResponseTime", "Response Time", "The time taken for the app to serve requests, in seconds.", "Seconds", "average", r => r.Duration.TotalSeconds),
    };

    private static readonly string[] Aggregations = ["average", "count", "minimum", "maximum", "total"];

    public ArmAnswer Handle(ArmRequest request)
    {
        var resourceUri = "/" + request.PathValue("resourceUri")!.TrimStart('/');
        EmulatedSlot? slot;
        lock (state.Gate)
        {
            slot = ArmActions.WebApp(resourceUri) is { } id && state.FindApp(id.Subscription, id.ResourceGroup, id.Site) is { } app
                ? id.Slot is { } name ? app.FindSlot(name) is { IsProduction: false } s ? s : null : app.Production
                : null;
        }

        if (slot is null)
        {
            return ArmAnswer.FlatError(404, "ResourceNotFound", $"The resource '{resourceUri}' was not found.");
        }

        var now = request.Now;
        DateTimeOffset start, end;
        if (request.Query.TryGetValue("timespan", out var timespan))
        {
            var parts = timespan.Split('/');
            if (parts.Length != 2 || !DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start)
                || !DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end) || end <= start)
            {
                return ArmAnswer.FlatError(400, "BadRequest", $"Invalid timespan '{timespan}': expected 'startDateTime_ISO/endDateTime_ISO' with start before end.");
            }
        }
        else
        {
            (start, end) = (now.AddHours(-1), now);
        }

        var intervalText = request.Query.GetValueOrDefault("interval", "PT1M");
        TimeSpan grain;
        try
        {
            grain = intervalText.Equals("FULL", StringComparison.OrdinalIgnoreCase) ? end - start : XmlConvert.ToTimeSpan(intervalText);
        }
        catch (FormatException)
        {
            return ArmAnswer.FlatError(400, "BadRequest", $"Invalid interval '{intervalText}': expected an ISO 8601 duration such as PT1M, or FULL.");
        }

        if (grain <= TimeSpan.Zero)
        {
            return ArmAnswer.FlatError(400, "BadRequest", $"Invalid interval '{intervalText}'.");
        }

        var requested = request.Query.TryGetValue("aggregation", out var aggregation)
            ? aggregation.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(a => a.ToLowerInvariant()).ToList()
            : null;
        if (requested?.FirstOrDefault(a => !Aggregations.Contains(a)) is { } bad)
        {
            return ArmAnswer.FlatError(400, "BadRequest", $"Invalid aggregation '{bad}': use average, count, minimum, maximum or total.");
        }

        var names = request.Query.GetValueOrDefault("metricnames", "Requests")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(n => n.Replace("%2", ",", StringComparison.Ordinal))
            .ToList();
        var samples = served().Where(r => r.AppId == slot.App.Id && string.Equals(r.Slot, slot.Name, StringComparison.OrdinalIgnoreCase) && r.Time >= start && r.Time < end).ToList();

        var body = ExampleBodies.Body(request.Operation, new Dictionary<string, string>(StringComparer.Ordinal));
        var template = (JsonObject)body["value"]![0]!;
        var errorTemplate = (JsonObject)request.Operation.ExampleNamed("GetMetricError.json")!["body"]!["value"]![0]!;
        var grains = Grains(start, end, grain).ToList();
        var metrics = new JsonArray();
        foreach (var name in names)
        {
            if (!Definitions.TryGetValue(name, out var definition))
            {
                var failed = (JsonObject)errorTemplate.DeepClone();
                failed["id"] = $"{slot.Id}/providers/Microsoft.Insights/metrics/{name}";
                failed["name"] = new JsonObject { ["value"] = name, ["localizedValue"] = name };
                // "unit" is required by the Metric schema; an unknown metric has none to report.
                failed["unit"] = "Unspecified";
                failed["errorCode"] = UnknownMetricCode;
                failed["errorMessage"] = $"Metric '{name}' is not defined for resource type {(slot.IsProduction ? "Microsoft.Web/sites" : "Microsoft.Web/sites/slots")}.";
                metrics.Add(failed);
                continue;
            }

            var metric = (JsonObject)template.DeepClone();
            metric["id"] = $"{slot.Id}/providers/Microsoft.Insights/metrics/{definition.Name}";
            metric["name"] = new JsonObject { ["value"] = definition.Name, ["localizedValue"] = definition.DisplayName };
            metric["displayDescription"] = definition.Description;
            metric["unit"] = definition.Unit;
            metric["errorCode"] = "Success";
            var series = (JsonObject)metric["timeseries"]![0]!.DeepClone();
            series["metadatavalues"] = new JsonArray();
            var data = new JsonArray();
            foreach (var (from, to) in grains)
            {
                data.Add(Point(from, samples.Where(r => r.Time >= from && r.Time < to).Select(definition.Sample).ToList(), requested ?? [definition.PrimaryAggregation]));
            }

            series["data"] = data;
            metric["timeseries"] = new JsonArray(series);
            metrics.Add(metric);
        }

        body["cost"] = grains.Count * names.Count;
        body["timespan"] = $"{Iso(start)}/{Iso(end)}";
        body["interval"] = XmlConvert.ToString(grain);
        body["namespace"] = slot.IsProduction ? "Microsoft.Web/sites" : "Microsoft.Web/sites/slots";
        body["resourceregion"] = slot.App.Location.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        body["value"] = metrics;
        return new ArmAnswer(200, body);
    }

    private static JsonObject Point(DateTimeOffset time, List<double> values, IReadOnlyList<string> aggregations)
    {
        var point = new JsonObject { ["timeStamp"] = Iso(time) };
        if (values.Count == 0)
        {
            return point;
        }

        foreach (var aggregation in aggregations)
        {
            point[aggregation] = aggregation switch
            {
                "average" => values.Average(),
                "count" => values.Count,
                "minimum" => values.Min(),
                "maximum" => values.Max(),
                _ => values.Sum(),
            };
        }

        return point;
    }

    // Grains start at a multiple of the grain since the epoch, as Azure Monitor aligns them (a 1-minute grain on whole minutes).
    private static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Grains(DateTimeOffset start, DateTimeOffset end, TimeSpan grain)
    {
        var from = end - start == grain ? start : new DateTimeOffset(start.UtcTicks - (start.UtcTicks % grain.Ticks), TimeSpan.Zero);
        for (; from < end; from += grain)
        {
            yield return (from, from + grain);
        }
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record MetricDefinition(string Name, string DisplayName, string Description, string Unit, string PrimaryAggregation, Func<DataPlaneRequest, double> Sample);
}
