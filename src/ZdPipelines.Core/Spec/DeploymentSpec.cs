namespace ZdPipelines.Core.Spec;

/// <summary>
/// One service's deployment: where (<see cref="Platform"/>), how (<see cref="Strategy"/>) and what must hold on
/// the way (<see cref="Gates"/>). Built by <see cref="Reading.SpecReader"/> from a zdp.yml or in code; either way
/// <see cref="Validation.SpecValidator"/> checks it before anything touches a platform.
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
