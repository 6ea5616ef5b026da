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

    /// <summary>
    /// The platform's own updater (<see cref="ITargetUpdater"/>) brings a target to the new version while it keeps serving
    /// (an App Service slot swap warms the new version up, then flips routing): rolling updates such targets where they
    /// stand, with no drain, and a rollback reverts them the same way. A fact of the platform carried in its snapshots,
    /// because the rollback is planned from snapshots alone.
    /// </summary>
    public bool UpdatesInPlace { get; init; }

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

    /// <summary>How long one switch of all traffic takes on the platform (an App Service slot swap with its warm-up); zero for a routing change.</summary>
    public TimeSpan SwitchDuration { get; init; }

    /// <summary>How long the platform's own update of one batch takes (<see cref="ITargetUpdater"/>; an App Service slot swap per app, in parallel).</summary>
    public TimeSpan UpdateDuration { get; init; }

    /// <summary>Least time a freshly registered target needs to be healthy.</summary>
    public TimeSpan TimeToHealthy => HealthCheckInterval * HealthyThreshold;
}
