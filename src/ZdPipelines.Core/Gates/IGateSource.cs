using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Gates;

/// <summary>
/// Where a gate's numbers come from. Sources are adapters (http, command, the platform's metrics,
/// later CloudWatch or Azure Monitor); the core only evaluates what they measure.
/// </summary>
public interface IGateSource
{
    /// <summary>Matches <see cref="GateSpec.SourceKind"/>.</summary>
    string Kind { get; }

    Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken);
}

/// <summary>What a source may need to know about the deployment it measures.</summary>
public sealed record GateContext(Plans.Side Side, string? Address, string? PreviewAddress, string DeploymentId)
{
    /// <summary>Fills {address} and {preview} in a URL or command.</summary>
    public string Expand(string text) => text
        .Replace("{address}", Address ?? "", StringComparison.Ordinal)
        .Replace("{preview}", PreviewAddress ?? Address ?? "", StringComparison.Ordinal)
        .Replace("{deploymentId}", DeploymentId, StringComparison.Ordinal);
}
