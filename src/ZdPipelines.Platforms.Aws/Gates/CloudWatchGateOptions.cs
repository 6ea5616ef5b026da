using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Aws.Gates;

/// <summary>
/// A gate read from CloudWatch with GetMetricData: a preset for the load balancer's own metrics, with the
/// AWS/ApplicationELB dimensions derived from the ARNs, or the user's queries (metric stats and metric math).
/// </summary>
public sealed record CloudWatchGateOptions : GateSourceOptions
{
    public const string Key = "cloudWatch";

    public AlbMetricPreset? Preset { get; init; }
    /// <summary>Which target group a preset reads.</summary>
    public Side Side { get; init; } = Side.Candidate;
    /// <summary>The user's queries; exactly one returns data, and its value is the measurement.</summary>
    public IReadOnlyList<CloudWatchQuerySpec> Queries { get; init; } = [];
    /// <summary>The period of every metric stat; a multiple of 60 s.</summary>
    public TimeSpan Period { get; init; } = CloudWatchDefaults.Period;
    /// <summary>Trailing window read for each measurement.</summary>
    public TimeSpan Window { get; init; } = CloudWatchDefaults.Window;

    public override string Kind => Key;

    public override string? RatioName => Preset == AlbMetricPreset.TargetGroup5xxRate ? "targetGroup5xxRate" : null;
}

public static class CloudWatchDefaults
{
    /// <summary>ALB publishes its metrics once a minute; a shorter period returns nothing.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    /// <summary>Five one-minute points: ALB reports a minute only when requests flowed, so a shorter window is often empty.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
}

/// <summary>Ready-made ALB metrics; the value of each is computed over the window.</summary>
public enum AlbMetricPreset
{
    /// <summary>HTTPCode_Target_5XX_Count / RequestCount of the side's target group: a ratio from 0 to 1.</summary>
    TargetGroup5xxRate,
    /// <summary>p99 of TargetResponseTime of the side's target group, in seconds.</summary>
    TargetResponseTimeP99,
    /// <summary>Sum of RequestCount of the side's target group.</summary>
    RequestCount,
}

/// <summary>One GetMetricData query: a metric stat or a metric-math expression.</summary>
public sealed record CloudWatchQuerySpec
{
    public required string Id { get; init; }
    public CloudWatchMetricSpec? Metric { get; init; }
    public string? Expression { get; init; }
    public bool ReturnData { get; init; } = true;
}

/// <summary>
/// A metric and its statistic. Dimension values may use {loadBalancer}, {targetGroup} (the gate's side),
/// {stableTargetGroup} and {candidateTargetGroup}: zdp derives app/NAME/ID and targetgroup/NAME/ID from the ARNs.
/// </summary>
public sealed record CloudWatchMetricSpec
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required string Stat { get; init; }
    public IReadOnlyDictionary<string, string> Dimensions { get; init; } = new Dictionary<string, string>();
}
