using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;
using ZdPipelines.Platforms.Aws.Alb;

namespace ZdPipelines.Platforms.Aws.Gates;

/// <summary>The alarm gate source: how many of the named CloudWatch alarms are in ALARM.</summary>
public sealed class AlarmGateSourceModule : IGateSourceModule
{
    private static readonly IReadOnlyList<string> Keys = ["names", "namePrefix"];

    public string Key => AlarmGateOptions.Key;

    public string Reads => "reads CloudWatch";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(AlarmGateSourceModule), "alarm.schema.json");

    /// <summary>The keys of the block, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["gates[].alarm"] = Keys };

    public GateSourceOptions? Bind(SpecMapping gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var alarm = gate.RequiredMapping(Key, Keys, "alarm: { names: [shop-5xx] }", "add alarm: { names: [shop-5xx] } or alarm: { namePrefix: shop- }.");
        if (alarm is null)
        {
            return null;
        }

        var names = alarm.Texts("names", "[shop-5xx, shop-latency]", "write an alarm name, e.g. shop-5xx.");
        return new AlarmGateOptions
        {
            Names = [.. (names ?? []).OfType<string>()],
            NamePrefix = alarm.Text("namePrefix", "write the start of the alarm names, e.g. namePrefix: shop-."),
        };
    }

    public void Validate(GateSourceOptions options, string path, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var alarm = (AlarmGateOptions)options;
        var namesPath = $"{path}.names";
        var hasNames = alarm.Names.Count > 0 || problems.IsWritten(namesPath);
        if (problems.IsUnreadable(namesPath) || problems.IsUnreadable($"{path}.namePrefix"))
        {
            return;
        }

        if (hasNames && alarm.Names.Count == 0)
        {
            problems.Add(namesPath, "names is empty.", "list the alarms to watch, e.g. names: [shop-5xx].");
        }
        else if (hasNames && alarm.NamePrefix is not null)
        {
            problems.AddAtKey($"{path}.namePrefix", "alarm has both names and namePrefix.", "keep names for a fixed set of alarms, or namePrefix for all alarms whose name starts with it.");
        }
        else if (!hasNames && alarm.NamePrefix is null && !problems.HasUnknownKeys(path))
        {
            problems.Add(path, "alarm needs names or namePrefix.", "add names: [shop-5xx] or namePrefix: shop-.");
        }
        else if (alarm.NamePrefix is { Length: 0 })
        {
            problems.Add($"{path}.namePrefix", "namePrefix is empty, which would match every alarm of the account.", "write the start of the alarm names, e.g. namePrefix: shop-.");
        }
    }

    public IGateSource? CreateSource(IPlatform platform, TimeProvider time) =>
        platform is AlbPlatform { CloudWatch: { } cloudWatch } ? new AlarmGateSource(cloudWatch) : null;
}
