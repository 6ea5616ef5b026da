namespace ZdPipelines.Core.Spec;

/// <summary>Exactly one of the three strategy blocks is set.</summary>
public sealed record StrategySpec
{
    public BlueGreenSpec? BlueGreen { get; init; }
    public CanarySpec? Canary { get; init; }
    public RollingSpec? Rolling { get; init; }

    /// <summary>"blueGreen", "canary" or "rolling": the key of the block in zdp.yml; empty when none is chosen (an invalid spec).</summary>
    public string Kind =>
        BlueGreen is not null ? StrategyKinds.BlueGreen
        : Canary is not null ? StrategyKinds.Canary
        : Rolling is not null ? StrategyKinds.Rolling
        : "";
}

/// <summary>The strategy keys of zdp.yml, which are also the names plans and journals carry.</summary>
public static class StrategyKinds
{
    public const string Canary = "canary";
    public const string BlueGreen = "blueGreen";
    public const string Rolling = "rolling";

    public static readonly IReadOnlyList<string> All = [Canary, BlueGreen, Rolling];
}
