namespace ZdPipelines.Core.Spec;

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
    /// <summary>1-based line in the spec file, to point at it in messages; 0 when built in code.</summary>
    public int Line { get; init; }
}

public sealed record PauseSpec(TimeSpan? Duration);

public static class CanaryLimits
{
    /// <summary>A weight is a percentage of traffic.</summary>
    public static readonly SpecRange Weight = new(0, 100);
}
