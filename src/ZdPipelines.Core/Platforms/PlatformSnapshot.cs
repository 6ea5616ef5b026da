using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Platforms;

/// <summary>
/// What a platform looks like at one moment: where traffic goes, and every target with its health.
/// The engine records the one taken before the first change as the starting state a rollback restores.
/// </summary>
public sealed record PlatformSnapshot
{
    /// <summary>The side that takes traffic when no split is set (the listener's forward target).</summary>
    public Side ActiveSide { get; init; } = Side.Stable;

    /// <summary>Share of traffic (0..100) the candidate receives while a weighted split is in place.</summary>
    public int CandidateWeight { get; init; }

    public IReadOnlyList<TargetStatus> Targets { get; init; } = [];

    /// <summary>Figures the platform imposes, for predicting durations.</summary>
    public PlatformTimings Timings { get; init; } = new();

    /// <summary>Where users reach the service (the proxy or listener).</summary>
    public string? Address { get; init; }

    /// <summary>Where the candidate can be reached before it takes traffic (blue-green pre-switch gates).</summary>
    public string? PreviewAddress { get; init; }

    /// <summary>The side the preview route forwards to; null when the platform has no preview route (<see cref="IPreviewRoute"/>).</summary>
    public Side? PreviewSide { get; init; }

    public IEnumerable<TargetStatus> On(Side side) => Targets.Where(t => t.Side == side);

    public TargetStatus? Find(string id) => Targets.FirstOrDefault(t => t.Id == id);

    /// <summary>Healthy and registered: these serve requests.</summary>
    public int HealthyServing(Side side) => On(side).Count(t => t.Registered && t.Health == TargetHealth.Healthy);

    /// <summary>Share of traffic a side receives, in percent.</summary>
    public int TrafficShare(Side side)
    {
        var candidate = CandidateWeight > 0 ? CandidateWeight : ActiveSide == Side.Candidate ? 100 : 0;
        return side == Side.Candidate ? candidate : 100 - candidate;
    }
}

/// <summary>One target (instance, destination) as the load balancer sees it.</summary>
public sealed record TargetStatus(string Id, Side Side, bool Registered, TargetHealth Health, bool Updated = false);

public enum TargetHealth
{
    /// <summary>Registered, health checks have not passed the healthy threshold yet.</summary>
    Initial,
    Healthy,
    Unhealthy,
    /// <summary>Deregistered, in-flight connections still being served until the deregistration delay ends.</summary>
    Draining,
    /// <summary>Not registered and not draining.</summary>
    Unused,
}

/// <summary>The platform's own waits, read from it (health check interval and threshold, deregistration delay).</summary>
public sealed record PlatformTimings
{
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(1);
    public int HealthyThreshold { get; init; } = 2;
    public TimeSpan DeregistrationDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Least time a freshly registered target needs to be healthy.</summary>
    public TimeSpan TimeToHealthy => HealthCheckInterval * HealthyThreshold;
}
