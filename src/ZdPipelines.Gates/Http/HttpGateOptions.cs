using ZdPipelines.Core.Spec;

namespace ZdPipelines.Gates.Http;

/// <summary>A gate that probes a URL: the share of probes answered as expected, or their p95 latency.</summary>
public sealed record HttpGateOptions : GateSourceOptions
{
    public const string Key = "http";

    /// <summary>URL to probe; may contain {address} (the proxy/listener) or {preview} (the new side before the switch).</summary>
    public required string Url { get; init; }
    public int Probes { get; init; } = HttpGateDefaults.Probes;
    public int ExpectStatus { get; init; } = HttpGateDefaults.ExpectStatus;
    public string? BodyContains { get; init; }
    public TimeSpan Timeout { get; init; } = HttpGateDefaults.Timeout;
    /// <summary>successRate (0..1) or latencyP95Ms.</summary>
    public HttpMeasure Measure { get; init; } = HttpMeasure.SuccessRate;

    public override string Kind => Key;

    public override string? RatioName => Measure == HttpMeasure.SuccessRate ? "successRate" : null;
}

public enum HttpMeasure
{
    SuccessRate,
    LatencyP95Ms,
}

public static class HttpGateDefaults
{
    /// <summary>Five probes per measurement: a success rate in steps of 20 %, cheap enough to run every interval.</summary>
    public const int Probes = 5;
    public const int ExpectStatus = 200;
    /// <summary>A health endpoint slower than this is failing, whatever it answers in the end.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
}

public static class HttpGateLimits
{
    /// <summary>A thousand probes a measurement is a load test, not a gate.</summary>
    public static readonly SpecRange Probes = new(1, 1000);
    /// <summary>The status codes HTTP defines (RFC 9110 §15).</summary>
    public static readonly SpecRange ExpectStatus = new(100, 599);
}
