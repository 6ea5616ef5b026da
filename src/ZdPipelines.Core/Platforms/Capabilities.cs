using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Platforms;

/// <summary>
/// Every platform can be observed and named. What else it can do is declared by implementing the
/// capability interfaces below; a strategy asks only for the ones it needs (Argo's traffic routers).
/// </summary>
public interface IPlatform
{
    /// <summary>"local", "simulated", "aws-alb".</summary>
    string Kind { get; }

    /// <summary>The thing being deployed to (listener ARN, proxy address); the lease is keyed by it.</summary>
    string Target { get; }

    Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken);
}

/// <summary>Split traffic by weight between stable and candidate (ALB weighted forward, App Service routing).</summary>
public interface IWeightedTrafficSplit
{
    Task SetCandidateWeightAsync(int percent, CancellationToken cancellationToken);
}

/// <summary>Move all traffic from one side to the other in one switch (listener forward, slot swap).</summary>
public interface ITrafficSwitch
{
    Task SwitchAsync(Side to, CancellationToken cancellationToken);
}

/// <summary>Take targets out of a pool and put them back; draining is observed as <see cref="TargetHealth.Draining"/>.</summary>
public interface ITargetPool
{
    Task DeregisterAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken);

    Task RegisterAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken);
}

/// <summary>Bring targets to the new (or back to the previous) version without a user hook.</summary>
public interface ITargetUpdater
{
    Task UpdateAsync(IReadOnlyList<string> targets, bool toPrevious, CancellationToken cancellationToken);
}

/// <summary>
/// A platform that cannot see versions itself is told which targets an update hook has brought to the
/// new version (or back), so that its snapshots and per-version metrics count them as the candidate.
/// </summary>
public interface ITargetVersionRecord
{
    Task RecordUpdatedAsync(IReadOnlyList<string> targets, bool updated, CancellationToken cancellationToken);
}

/// <summary>
/// A route that only testers use (a test listener, a header-conditioned rule, a second port) and that zdp points at
/// one side: the new version before it takes traffic, the previous one while it is kept for a fast rollback.
/// </summary>
public interface IPreviewRoute
{
    Task PointPreviewAsync(Side to, CancellationToken cancellationToken);
}

/// <summary>Per-version metrics the platform records itself.</summary>
public interface IPlatformMetrics
{
    Task<Gates.Measurement> MeasureAsync(Spec.PlatformMetric metric, Side side, TimeSpan window, CancellationToken cancellationToken);
}

/// <summary>The named capabilities, for messages and for `plan` to say which one is missing.</summary>
[Flags]
public enum PlatformCapabilities
{
    None = 0,
    WeightedSplit = 1,
    TrafficSwitch = 2,
    TargetPool = 4,
    TargetUpdate = 8,
    Metrics = 16,
    DeploymentStore = 32,
    PreviewRoute = 64,
}

public static class PlatformCapabilityExtensions
{
    public static PlatformCapabilities Capabilities(this IPlatform platform)
    {
        var c = PlatformCapabilities.None;
        if (platform is IWeightedTrafficSplit) c |= PlatformCapabilities.WeightedSplit;
        if (platform is ITrafficSwitch) c |= PlatformCapabilities.TrafficSwitch;
        if (platform is ITargetPool) c |= PlatformCapabilities.TargetPool;
        if (platform is ITargetUpdater) c |= PlatformCapabilities.TargetUpdate;
        if (platform is IPlatformMetrics) c |= PlatformCapabilities.Metrics;
        if (platform is IDeploymentStore) c |= PlatformCapabilities.DeploymentStore;
        if (platform is IPreviewRoute) c |= PlatformCapabilities.PreviewRoute;
        return c;
    }

    /// <summary>"weighted traffic split (IWeightedTrafficSplit)" — what a user reads when a capability is missing.</summary>
    public static string Explain(PlatformCapabilities c) => c switch
    {
        PlatformCapabilities.WeightedSplit => "split traffic by weight between two versions",
        PlatformCapabilities.TrafficSwitch => "switch all traffic between two versions",
        PlatformCapabilities.TargetPool => "drain and register targets in a pool",
        PlatformCapabilities.TargetUpdate => "update targets itself (set strategy.rolling.updateHook instead)",
        PlatformCapabilities.Metrics => "report its own per-version metrics (use an http or command gate instead)",
        PlatformCapabilities.DeploymentStore => "keep a deployment lease and journal",
        PlatformCapabilities.PreviewRoute => "point a preview route at one side",
        _ => c.ToString(),
    };
}
