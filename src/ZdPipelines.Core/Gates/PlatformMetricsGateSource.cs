using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Gates;

/// <summary>
/// A gate measured from the metrics the platform records per version (the local proxy's request log,
/// the simulated platform). No I/O of its own: it only asks the platform, so it lives in the core.
/// </summary>
public sealed class PlatformMetricsGateSource(IPlatformMetrics metrics) : IGateSource
{
    public string Kind => "metrics";

    public Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken)
    {
        var block = gate.Metrics ?? throw new ArgumentException($"gate '{gate.Name}' has no metrics block", nameof(gate));
        // The side written in the gate wins over the step's: a user may watch stable's error rate on purpose.
        return metrics.MeasureAsync(block.Metric, block.Side, block.Window, cancellationToken);
    }
}
