using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Local;

/// <summary>The embedded YARP proxy in front of upstream addresses (see docs/local.md).</summary>
public sealed record LocalPlatformOptions : PlatformOptions
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
    /// <summary>Loopback only: a proxy reachable from the network is something to ask for, not a default.</summary>
    public const string Listen = "127.0.0.1:8080";
    /// <summary>Short, because local upstreams have no load balancer in front whose connections must age out.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    /// <summary>Beside the spec, where `git status` shows it and a .gitignore line hides it.</summary>
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
    /// <summary>The Kubernetes convention most services already answer.</summary>
    public const string Path = "/healthz";
    /// <summary>Local checks are cheap: poll fast so the demo is quick. ALB's own default is 30 s.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    /// <summary>Below the interval, so one slow probe never overlaps the next.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);
    /// <summary>Two consecutive passes: one lucky probe is not health.</summary>
    public const int HealthyThreshold = 2;
    /// <summary>Two consecutive failures: one dropped probe does not take a target out.</summary>
    public const int UnhealthyThreshold = 2;
}

public static class HealthCheckLimits
{
    /// <summary>ALB's bounds for its threshold counts are 2 to 10; 1 is allowed locally for instant checks in tests.</summary>
    public static readonly SpecRange Threshold = new(1, 10);
}
