namespace ZdPipelines.Core.Spec;

public sealed record TimeoutsSpec
{
    /// <summary>Longest wait for targets to become healthy (per wait).</summary>
    public TimeSpan Healthy { get; init; } = TimeoutDefaults.Healthy;
    /// <summary>Longest wait for targets to drain (per wait); past it, the deployment rolls back.</summary>
    public TimeSpan Drain { get; init; } = TimeoutDefaults.Drain;
    /// <summary>Longest `pause: {}` waits for `zdp promote` before rolling back.</summary>
    public TimeSpan Promote { get; init; } = TimeoutDefaults.Promote;
    /// <summary>Whole deployment; past it, the deployment rolls back.</summary>
    public TimeSpan Total { get; init; } = TimeoutDefaults.Total;
}

public static class TimeoutDefaults
{
    /// <summary>ALB defaults: 5 checks × 30 s = 150 s to healthy; double it for slow starts.</summary>
    public static readonly TimeSpan Healthy = TimeSpan.FromMinutes(5);
    /// <summary>ALB's default deregistration delay is 300 s; allow it plus margin.</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromMinutes(6);
    /// <summary>A pause that nobody promotes must not hold production forever (argo-rollouts #2823).</summary>
    public static readonly TimeSpan Promote = TimeSpan.FromHours(24);
    /// <summary>Argo's progressDeadline is 10 min per step; a whole CI deployment gets an hour.</summary>
    public static readonly TimeSpan Total = TimeSpan.FromHours(1);
}
