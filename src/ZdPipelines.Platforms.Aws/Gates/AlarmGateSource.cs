using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Gates;

/// <summary>
/// The <c>alarm</c> gate: one DescribeAlarms call per measurement. The value is the number of alarms in ALARM; when
/// none is and one is INSUFFICIENT_DATA, or a named alarm does not exist, the measurement has no data and the gate's
/// noData policy decides.
/// </summary>
internal sealed class AlarmGateSource(CloudWatchClient cloudWatch) : IGateSource
{
    public string Kind => "alarm";

    public async Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken)
    {
        var source = gate.SourceAs<AlarmGateOptions>() ?? throw new ArgumentException($"gate '{gate.Name}' has no alarm block", nameof(gate));
        DescribeAlarmsResponse response;
        try
        {
            response = await cloudWatch.DescribeAlarmsAllAsync(new DescribeAlarmsRequest
            {
                AlarmNames = source.Names.Count > 0 ? source.Names : null,
                AlarmNamePrefix = source.NamePrefix,
                AlarmTypes = ["MetricAlarm", "CompositeAlarm"],
            }, cancellationToken);
        }
        catch (AwsServiceException e)
        {
            throw new Core.Platforms.PlatformException(e.Message, e);
        }

        var alarms = response.MetricAlarms.Select(a => (Name: a.AlarmName ?? "", State: a.StateValue ?? ""))
            .Concat(response.CompositeAlarms.Select(a => (Name: a.AlarmName ?? "", State: a.StateValue ?? "")))
            .ToList();
        var missing = source.Names.Where(n => !alarms.Any(a => a.Name == n)).ToList();
        var firing = alarms.Where(a => a.State == "ALARM").Select(a => a.Name).ToList();
        if (firing.Count > 0)
        {
            return new Measurement(firing.Count, alarms.Count, $"in ALARM: {string.Join(", ", firing)}");
        }

        if (missing.Count > 0 || alarms.Count == 0)
        {
            return Measurement.NoData(missing.Count > 0
                ? $"no alarm named {string.Join(", ", missing)}"
                : $"no alarm's name starts with '{source.NamePrefix}'");
        }

        var unknown = alarms.Where(a => a.State == "INSUFFICIENT_DATA").Select(a => a.Name).ToList();
        return unknown.Count > 0
            ? Measurement.NoData($"INSUFFICIENT_DATA: {string.Join(", ", unknown)}")
            : new Measurement(0, alarms.Count, $"{alarms.Count} alarm(s) OK");
    }
}
