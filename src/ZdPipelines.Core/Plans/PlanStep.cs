using System.Text.Json.Serialization;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Plans;

/// <summary>
/// One unit of work: what the engine executes, what `zdp plan` prints and what the journal records.
/// Steps are data and declare the desired state, never how a platform reaches it; the engine makes
/// each one idempotent by checking the observed state first.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(WaitHealthy), "waitHealthy")]
[JsonDerivedType(typeof(SetWeight), "setWeight")]
[JsonDerivedType(typeof(SwitchTraffic), "switchTraffic")]
[JsonDerivedType(typeof(Pause), "pause")]
[JsonDerivedType(typeof(RunGate), "gate")]
[JsonDerivedType(typeof(RunHook), "hook")]
[JsonDerivedType(typeof(Deregister), "deregister")]
[JsonDerivedType(typeof(Register), "register")]
[JsonDerivedType(typeof(UpdateTargets), "update")]
[JsonDerivedType(typeof(RetainPrevious), "retainPrevious")]
public abstract record PlanStep
{
    /// <summary>One line for humans: "set canary weight to 10 %".</summary>
    public abstract string Describe();

    /// <summary>What the platform must be able to do for this step (none for a pause or a hook).</summary>
    public virtual PlatformCapabilities Needs(DeploymentSpec spec) => PlatformCapabilities.None;
}

/// <summary>Wait until the given targets (or, when empty, at least <paramref name="MinHealthy"/> of a side) pass health checks.</summary>
public sealed record WaitHealthy(Side Side, IReadOnlyList<string> Targets, int MinHealthy) : PlanStep
{
    public override string Describe() => Targets.Count > 0
        ? $"wait until {string.Join(", ", Targets)} healthy"
        : $"wait until {MinHealthy} {Side.ToString().ToLowerInvariant()} target(s) healthy";
}

/// <summary>Send <paramref name="Percent"/> % of traffic to the candidate, the rest to stable.</summary>
public sealed record SetWeight(int Percent) : PlanStep
{
    public override string Describe() => $"set candidate weight to {Percent} %";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => PlatformCapabilities.WeightedSplit;
}

/// <summary>Move all traffic to one side in a single switch.</summary>
public sealed record SwitchTraffic(Side To) : PlanStep
{
    public override string Describe() => $"switch all traffic to {To.ToString().ToLowerInvariant()}";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => PlatformCapabilities.TrafficSwitch;
}

/// <summary>Wait a fixed time, or (Duration null) until `zdp promote`.</summary>
public sealed record Pause(TimeSpan? Duration) : PlanStep
{
    public override string Describe() => Duration is { } d ? $"pause {Durations.Format(d)}" : "pause until `zdp promote`";
}

/// <summary>Evaluate a gate from the spec against one side.</summary>
public sealed record RunGate(string Gate, Side Side) : PlanStep
{
    public override string Describe() => $"gate '{Gate}' on {Side.ToString().ToLowerInvariant()}";

    public override PlatformCapabilities Needs(DeploymentSpec spec) =>
        spec?.FindGate(Gate)?.Source is MetricsGateOptions ? PlatformCapabilities.Metrics : PlatformCapabilities.None;
}

/// <summary>Run a hook from the spec, passing it target ids.</summary>
public sealed record RunHook(string Hook, IReadOnlyList<string> Targets) : PlanStep
{
    public override string Describe() => Targets.Count > 0 ? $"hook '{Hook}' for {string.Join(", ", Targets)}" : $"hook '{Hook}'";
}

/// <summary>
/// Take targets out of the pool and wait until their connections have drained. The engine first waits
/// until at least <paramref name="MinHealthyAfter"/> healthy registered targets would remain, so a
/// target that went unhealthy meanwhile cannot take capacity below the floor.
/// </summary>
public sealed record Deregister(IReadOnlyList<string> Targets, int MinHealthyAfter) : PlanStep
{
    public override string Describe() => $"deregister and drain {string.Join(", ", Targets)} (keep >= {MinHealthyAfter} healthy)";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => PlatformCapabilities.TargetPool;
}

/// <summary>Put targets (back) into the pool.</summary>
public sealed record Register(IReadOnlyList<string> Targets) : PlanStep
{
    public override string Describe() => $"register {string.Join(", ", Targets)}";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => PlatformCapabilities.TargetPool;
}

/// <summary>Bring targets to a version: the update hook, or the platform's own updater. Rollback uses ToPrevious.</summary>
public sealed record UpdateTargets(IReadOnlyList<string> Targets, bool ToPrevious, string? Hook) : PlanStep
{
    public override string Describe() =>
        $"{(ToPrevious ? "revert" : "update")} {string.Join(", ", Targets)}{(Hook is null ? "" : $" with hook '{Hook}'")}";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => Hook is null ? PlatformCapabilities.TargetUpdate : PlatformCapabilities.None;
}

/// <summary>Record that the previous side is kept until now + For, so a rollback stays one switch.</summary>
public sealed record RetainPrevious(TimeSpan For) : PlanStep
{
    public override string Describe() => $"keep previous side for {Durations.Format(For)}";
}
