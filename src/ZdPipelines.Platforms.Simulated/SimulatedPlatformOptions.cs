using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Simulated;

/// <summary>
/// A platform simulated in memory with load-balancer semantics (health thresholds, draining).
/// It exists for tests, benchmarks and trying a spec without infrastructure.
/// </summary>
public sealed record SimulatedPlatformOptions : PlatformOptions
{
    public int StableTargets { get; init; } = SimulatedDefaults.StableTargets;
    public int CandidateTargets { get; init; } = SimulatedDefaults.CandidateTargets;
    public TimeSpan HealthCheckInterval { get; init; } = SimulatedDefaults.HealthCheckInterval;
    public int HealthyThreshold { get; init; } = SimulatedDefaults.HealthyThreshold;
    public TimeSpan DeregistrationDelay { get; init; } = SimulatedDefaults.DeregistrationDelay;
    /// <summary>Error ratio reported for the candidate version (0..1); lets a spec exercise a failing gate.</summary>
    public double CandidateErrorRate { get; init; }
}

public static class SimulatedDefaults
{
    /// <summary>Three of each: enough for a rolling batch of one to keep two serving, small enough to read in a plan.</summary>
    public const int StableTargets = 3;
    public const int CandidateTargets = 3;
    /// <summary>ALB's 30 s interval and threshold 5 scaled down, so a simulated run takes seconds, not minutes.</summary>
    public static readonly TimeSpan HealthCheckInterval = TimeSpan.FromSeconds(5);
    public const int HealthyThreshold = 2;
    /// <summary>ALB's 300 s deregistration delay scaled down the same way.</summary>
    public static readonly TimeSpan DeregistrationDelay = TimeSpan.FromSeconds(10);
}

public static class SimulatedLimits
{
    /// <summary>A pool with no stable target would have nothing to serve with; 10,000 bounds the memory a typo could ask for.</summary>
    public static readonly SpecRange StableTargets = new(1, 10_000);
    public static readonly SpecRange CandidateTargets = new(0, 10_000);
    /// <summary>ALB's own bounds for HealthyThresholdCount are 2 to 10; 1 is allowed here to simulate an instant check.</summary>
    public static readonly SpecRange HealthyThreshold = new(1, 10);
}
