namespace ZdPipelines.Platforms.Local.Samples;

/// <summary>How a <see cref="SampleApp"/> instance behaves: which version it claims and how badly it does.</summary>
public sealed record SampleAppOptions
{
    public string Version { get; init; } = "v1";

    /// <summary>Share (0..1) of GET / answered with 500, drawn from a Random seeded with <see cref="Seed"/>.</summary>
    public double FaultRate { get; init; }

    /// <summary>
    /// After a start, this long answers 503 on every path: the port is open but the app is not ready,
    /// which is what health checks exist to catch.
    /// </summary>
    public TimeSpan StartupDelay { get; init; }

    /// <summary>Extra time each GET / takes, to give requests something to drain and latency something to measure.</summary>
    public TimeSpan ResponseDelay { get; init; }

    /// <summary>Same seed, same sequence of faults: tests count on it.</summary>
    public int Seed { get; init; } = 1;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(FaultRate, 0, nameof(FaultRate));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FaultRate, 1, nameof(FaultRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(StartupDelay, TimeSpan.Zero, nameof(StartupDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ResponseDelay, TimeSpan.Zero, nameof(ResponseDelay));
    }
}
