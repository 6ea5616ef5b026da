using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;

namespace ZdPipelines.Core.Gates;

/// <summary>
/// A gate measured from the metrics the platform records per version (the local proxy's request log,
/// the simulated platform). No I/O of its own: it only asks the platform, so it lives in the core.
/// </summary>
public sealed class PlatformMetricsGateSource(IPlatformMetrics metrics) : IGateSource
{
    public string Kind => MetricsGateOptions.Key;

    public Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var block = gate.SourceAs<MetricsGateOptions>() ?? throw new ArgumentException($"gate '{gate.Name}' has no metrics block", nameof(gate));
        // The side written in the gate wins over the step's: a user may watch stable's error rate on purpose.
        return metrics.MeasureAsync(block.Metric, block.Side, block.Window, cancellationToken);
    }
}

/// <summary>The metrics gate source: served by any platform with <see cref="IPlatformMetrics"/>.</summary>
public sealed class MetricsGateSourceModule : IGateSourceModule
{
    public static readonly MetricsGateSourceModule Instance = new();

    public string Key => MetricsGateOptions.Key;

    public string Reads => "reads the platform's own per-version metrics";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(MetricsGateSourceModule), "metrics.schema.json");

    public GateSourceOptions? Bind(SpecMapping gate) => SpecBinder.ReadMetricsSource(gate);

    public void Validate(GateSourceOptions options, string path, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        problems.CheckPositive($"{path}.window", ((MetricsGateOptions)options).Window);
    }

    public IGateSource? CreateSource(IPlatform platform, TimeProvider time) =>
        platform is IPlatformMetrics metrics ? new PlatformMetricsGateSource(metrics) : null;
}
