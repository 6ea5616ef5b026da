namespace ZdPipelines.Core.Spec;

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

public static class RollingLimits
{
    /// <summary>A batch moves at least one target, else the rollout never progresses.</summary>
    public const int MinBatchSize = 1;
}
