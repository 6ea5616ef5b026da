namespace ZdPipelines.Core.Spec;

/// <summary>
/// A validated zdp.yml. Produced only by <see cref="SpecReader"/>: when a value of this type exists,
/// every field has been checked, so nothing downstream re-validates.
/// </summary>
public sealed record DeploymentSpec
{
    /// <summary>Identifies the service; the lease and the journal are keyed by it together with the platform target.</summary>
    public required string Name { get; init; }
    public required PlatformSpec Platform { get; init; }
    public required StrategySpec Strategy { get; init; }
    public IReadOnlyList<GateSpec> Gates { get; init; } = [];
    public HooksSpec Hooks { get; init; } = new();
    public RollbackSpec Rollback { get; init; } = new();
    public TimeoutsSpec Timeouts { get; init; } = new();

    /// <summary>The file this spec came from, for messages; null when built in code.</summary>
    public string? SourcePath { get; init; }

    public GateSpec? FindGate(string name) => Gates.FirstOrDefault(g => g.Name == name);

    public HookSpec? FindHook(string name) => Hooks.All.FirstOrDefault(h => h.Name == name);
}

/// <summary>Where the deployment happens. Exactly one of the platform blocks is set, matching <see cref="Type"/>.</summary>
public sealed record PlatformSpec
{
    public required string Type { get; init; }
    public LocalPlatformSpec? Local { get; init; }
    public SimulatedPlatformSpec? Simulated { get; init; }
    public AwsAlbPlatformSpec? AwsAlb { get; init; }
}

/// <summary>The embedded YARP proxy in front of upstream addresses (see docs/local.md).</summary>
public sealed record LocalPlatformSpec
{
    /// <summary>host:port the proxy listens on.</summary>
    public string Listen { get; init; } = LocalPlatformDefaults.Listen;
    public required UpstreamGroupSpec Stable { get; init; }
    public UpstreamGroupSpec? Candidate { get; init; }
    public HealthCheckSpec HealthCheck { get; init; } = new();
    /// <summary>How long a removed destination keeps its in-flight requests before it is forgotten.</summary>
    public TimeSpan DrainTimeout { get; init; } = LocalPlatformDefaults.DrainTimeout;
    /// <summary>Directory that holds the lease and journal files.</summary>
    public string StateDirectory { get; init; } = LocalPlatformDefaults.StateDirectory;
}

public static class LocalPlatformDefaults
{
    public const string Listen = "127.0.0.1:8080";
    /// <summary>Short, because local upstreams have no load balancer in front whose connections must age out.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    public const string StateDirectory = ".zdp";
}

public sealed record UpstreamGroupSpec
{
    public string Version { get; init; } = "";
    /// <summary>Absolute http(s) URLs of the upstream instances.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];
}

public sealed record HealthCheckSpec
{
    public string Path { get; init; } = HealthCheckDefaults.Path;
    public TimeSpan Interval { get; init; } = HealthCheckDefaults.Interval;
    public TimeSpan Timeout { get; init; } = HealthCheckDefaults.Timeout;
    public int HealthyThreshold { get; init; } = HealthCheckDefaults.HealthyThreshold;
    public int UnhealthyThreshold { get; init; } = HealthCheckDefaults.UnhealthyThreshold;
}

public static class HealthCheckDefaults
{
    public const string Path = "/healthz";
    /// <summary>Local checks are cheap: poll fast so the demo is quick. ALB's own default is 30 s.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);
    /// <summary>Two consecutive passes: one lucky probe is not health.</summary>
    public const int HealthyThreshold = 2;
    public const int UnhealthyThreshold = 2;
}

/// <summary>
/// A platform simulated in memory with load-balancer semantics (health thresholds, draining).
/// It exists for tests, benchmarks and trying a spec without infrastructure.
/// </summary>
public sealed record SimulatedPlatformSpec
{
    public int StableTargets { get; init; } = 3;
    public int CandidateTargets { get; init; } = 3;
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(5);
    public int HealthyThreshold { get; init; } = 2;
    public TimeSpan DeregistrationDelay { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Error ratio reported for the candidate version (0..1); lets a spec exercise a failing gate.</summary>
    public double CandidateErrorRate { get; init; }
}

/// <summary>Exactly one of the three strategy blocks is set.</summary>
public sealed record StrategySpec
{
    public BlueGreenSpec? BlueGreen { get; init; }
    public CanarySpec? Canary { get; init; }
    public RollingSpec? Rolling { get; init; }

    public string Kind => BlueGreen is not null ? "blueGreen" : Canary is not null ? "canary" : "rolling";
}

public sealed record BlueGreenSpec
{
    /// <summary>Gates run against the preview address before the switch (after hooks.preSwitch).</summary>
    public IReadOnlyList<string> PreSwitchGates { get; init; } = [];
    /// <summary>Gates run after the switch; a failure switches back.</summary>
    public IReadOnlyList<string> PostSwitchGates { get; init; } = [];
    /// <summary>How long to watch the new side after the switch before calling the deployment done.</summary>
    public TimeSpan Bake { get; init; } = BlueGreenDefaults.Bake;
    /// <summary>How long the previous side stays registered so that `zdp rollback` is one instant switch.</summary>
    public TimeSpan KeepPreviousFor { get; init; } = BlueGreenDefaults.KeepPreviousFor;
}

public static class BlueGreenDefaults
{
    /// <summary>Long enough for gates with a 10 s interval to take a few samples; short enough not to stall CI.</summary>
    public static readonly TimeSpan Bake = TimeSpan.FromMinutes(1);
    /// <summary>Argo Rollouts keeps the old ReplicaSet 30 s; we keep longer because a human may need to notice.</summary>
    public static readonly TimeSpan KeepPreviousFor = TimeSpan.FromMinutes(30);
}

public sealed record CanarySpec
{
    public required IReadOnlyList<CanaryStepSpec> Steps { get; init; }
}

/// <summary>One canary step: exactly one of the members is set.</summary>
public sealed record CanaryStepSpec
{
    public int? SetWeight { get; init; }
    /// <summary>A pause; <see cref="PauseSpec.Duration"/> null means until `zdp promote`.</summary>
    public PauseSpec? Pause { get; init; }
    public string? Gate { get; init; }
    /// <summary>1-based line in the spec file, to point at it in messages.</summary>
    public int Line { get; init; }
}

public sealed record PauseSpec(TimeSpan? Duration);

public sealed record RollingSpec
{
    /// <summary>Targets per batch.</summary>
    public required CountOrPercent BatchSize { get; init; }
    /// <summary>How many targets may be out of service at once; capacity never drops below N − maxUnavailable.</summary>
    public CountOrPercent MaxUnavailable { get; init; } = RollingDefaults.MaxUnavailable;
    /// <summary>Extra new targets allowed above N during the rollout (needs a platform that can add targets).</summary>
    public CountOrPercent MaxSurge { get; init; } = RollingDefaults.MaxSurge;
    /// <summary>Name of the hook (in hooks.update) that updates a batch; when empty the platform's own updater is used.</summary>
    public string? UpdateHook { get; init; }
    /// <summary>Gates run after each batch is back and healthy.</summary>
    public IReadOnlyList<string> Gates { get; init; } = [];
}

public static class RollingDefaults
{
    /// <summary>Kubernetes' Deployment default.</summary>
    public static readonly CountOrPercent MaxUnavailable = CountOrPercent.FromPercent(25);
    /// <summary>No surge by default: surge needs spare capacity that many platforms don't have.</summary>
    public static readonly CountOrPercent MaxSurge = CountOrPercent.FromCount(0);
}

/// <summary>A count ("2") or a share ("25%") of the total.</summary>
public readonly record struct CountOrPercent(int Value, bool IsPercent)
{
    public static CountOrPercent FromCount(int n) => new(n, false);
    public static CountOrPercent FromPercent(int p) => new(p, true);

    /// <summary>Resolves against a total. Percent rounds down for unavailability (safe side), as Kubernetes does.</summary>
    public int Resolve(int total, bool roundUp = false) =>
        !IsPercent ? Value : roundUp ? (int)Math.Ceiling(total * Value / 100.0) : total * Value / 100;

    public override string ToString() => IsPercent ? $"{Value}%" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A metric gate: a source, a condition, and how often and how many times to measure.
/// Exactly one source block is set.
/// </summary>
public sealed record GateSpec
{
    public required string Name { get; init; }
    public HttpGateSource? Http { get; init; }
    public CommandGateSource? Command { get; init; }
    public MetricsGateSource? Metrics { get; init; }
    public CloudWatchGateSource? CloudWatch { get; init; }
    public AlarmGateSource? Alarm { get; init; }
    public required GateCondition Condition { get; init; }
    public TimeSpan Interval { get; init; } = GateDefaults.Interval;
    /// <summary>How many measurements make up the gate.</summary>
    public int Count { get; init; } = GateDefaults.Count;
    /// <summary>How many failed measurements are tolerated; one more fails the gate.</summary>
    public int FailureLimit { get; init; } = GateDefaults.FailureLimit;
    /// <summary>How many inconclusive measurements are tolerated before the gate is inconclusive.</summary>
    public int InconclusiveLimit { get; init; } = GateDefaults.InconclusiveLimit;
    /// <summary>Fewer samples than this in a measurement means "no data".</summary>
    public int MinSamples { get; init; } = GateDefaults.MinSamples;
    public NoDataPolicy NoData { get; init; } = GateDefaults.NoData;

    public string SourceKind =>
        Http is not null ? "http" : Command is not null ? "command" : CloudWatch is not null ? "cloudWatch" : Alarm is not null ? "alarm" : "metrics";
}

public static class GateDefaults
{
    /// <summary>Flagger's analysis interval is 60 s; a deploy tool run from CI wants a faster loop.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    public const int Count = 3;
    /// <summary>Argo Rollouts' failureLimit default: the first failure fails the gate.</summary>
    public const int FailureLimit = 0;
    public const int InconclusiveLimit = 0;
    public const int MinSamples = 1;
    /// <summary>No data is neither pass nor fail: low-traffic canaries must not be failed for silence (flagger #1035).</summary>
    public const NoDataPolicy NoData = NoDataPolicy.Inconclusive;
}

public enum NoDataPolicy
{
    Inconclusive,
    Pass,
    Fail,
}

public sealed record HttpGateSource
{
    /// <summary>URL to probe; may contain {address} (the proxy/listener) or {preview} (the new side before the switch).</summary>
    public required string Url { get; init; }
    public int Probes { get; init; } = 5;
    public int ExpectStatus { get; init; } = 200;
    public string? BodyContains { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>successRate (0..1) or latencyP95Ms.</summary>
    public HttpMeasure Measure { get; init; } = HttpMeasure.SuccessRate;
}

public enum HttpMeasure
{
    SuccessRate,
    LatencyP95Ms,
}

public sealed record CommandGateSource
{
    /// <summary>Shell command line, run with /bin/sh -c (cmd /c on Windows).</summary>
    public required string Run { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>exitCode: the exit code is the value; stdout: the trimmed stdout parsed as a number is the value.</summary>
    public CommandMeasure Measure { get; init; } = CommandMeasure.ExitCode;
}

public enum CommandMeasure
{
    ExitCode,
    Stdout,
}

/// <summary>Per-version metrics the platform itself records (the local proxy, the simulated platform).</summary>
public sealed record MetricsGateSource
{
    public required PlatformMetric Metric { get; init; }
    public Plans.Side Side { get; init; } = Plans.Side.Candidate;
    /// <summary>Trailing window the metric is computed over.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);
}

public enum PlatformMetric
{
    Requests,
    ErrorRate,
    LatencyP95Ms,
}

/// <summary>"&lt; 0.05", "&gt;= 0.99", "== 0".</summary>
public sealed record GateCondition(ComparisonOperator Operator, double Threshold)
{
    public bool IsMetBy(double value) => Operator switch
    {
        ComparisonOperator.LessThan => value < Threshold,
        ComparisonOperator.LessThanOrEqual => value <= Threshold,
        ComparisonOperator.GreaterThan => value > Threshold,
        ComparisonOperator.GreaterThanOrEqual => value >= Threshold,
        ComparisonOperator.Equal => value == Threshold,
        ComparisonOperator.NotEqual => value != Threshold,
        _ => false,
    };

    public override string ToString() => $"{Symbol(Operator)} {Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.Equal => "==",
        _ => "!=",
    };
}

public enum ComparisonOperator
{
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    Equal,
    NotEqual,
}

public sealed record HooksSpec
{
    /// <summary>Run before the blue-green switch (smoke tests against the preview address).</summary>
    public IReadOnlyList<HookSpec> PreSwitch { get; init; } = [];
    /// <summary>Rolling: update a batch of targets; receives the target ids.</summary>
    public IReadOnlyList<HookSpec> Update { get; init; } = [];
    /// <summary>After a successful promotion.</summary>
    public IReadOnlyList<HookSpec> PostPromote { get; init; } = [];
    /// <summary>After a rollback has restored the starting state.</summary>
    public IReadOnlyList<HookSpec> PostRollback { get; init; } = [];

    public IEnumerable<HookSpec> All => PreSwitch.Concat(Update).Concat(PostPromote).Concat(PostRollback);
}

public sealed record HookSpec
{
    public required string Name { get; init; }
    public required string Run { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

public sealed record RollbackSpec
{
    /// <summary>Roll back automatically on a failed gate or timeout. Off means: stop and leave the state for a human.</summary>
    public bool Automatic { get; init; } = true;
    /// <summary>What an inconclusive gate does: rollback (safe default) or continue.</summary>
    public InconclusiveAction OnInconclusive { get; init; } = InconclusiveAction.Rollback;
}

public enum InconclusiveAction
{
    Rollback,
    Continue,
}

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
