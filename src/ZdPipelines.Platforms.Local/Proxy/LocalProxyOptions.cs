using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>Where the local proxy listens, how it checks health and how long it drains.</summary>
public sealed record LocalProxyOptions
{
    /// <summary>host:port; port 0 picks a free port, read back from <see cref="LocalProxy.Address"/>.</summary>
    public string Listen { get; init; } = LocalPlatformDefaults.Listen;

    public HealthCheckSpec HealthCheck { get; init; } = new();

    /// <summary>How long a deregistered destination keeps its in-flight requests before they are cut off.</summary>
    public TimeSpan DrainTimeout { get; init; } = LocalPlatformDefaults.DrainTimeout;

    /// <summary>Throws when a value would make the proxy misbehave; a spec from SpecReader always passes.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HealthCheck.Interval, TimeSpan.Zero, "healthCheck.interval");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HealthCheck.Timeout, TimeSpan.Zero, "healthCheck.timeout");
        ArgumentOutOfRangeException.ThrowIfLessThan(HealthCheck.HealthyThreshold, 1, "healthCheck.healthyThreshold");
        ArgumentOutOfRangeException.ThrowIfLessThan(HealthCheck.UnhealthyThreshold, 1, "healthCheck.unhealthyThreshold");
        ArgumentOutOfRangeException.ThrowIfLessThan(DrainTimeout, TimeSpan.Zero, "drainTimeout");
        if (!HealthCheck.Path.StartsWith('/'))
        {
            throw new ArgumentException($"healthCheck.path '{HealthCheck.Path}' must start with '/'.", nameof(HealthCheck));
        }
    }
}
