using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Aws.Gates;

/// <summary>CloudWatch alarms by name or prefix; the value is how many are in ALARM.</summary>
public sealed record AlarmGateOptions : GateSourceOptions
{
    public const string Key = "alarm";

    public IReadOnlyList<string> Names { get; init; } = [];
    public string? NamePrefix { get; init; }

    public override string Kind => Key;
}
