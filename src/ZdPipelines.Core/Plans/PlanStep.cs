using System.Text.Json.Serialization;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Plans;

/// <summary>
/// One unit of work: what the engine executes, what `zdp plan` prints and what the journal records.
/// Steps are data and declare the desired state, never how a platform reaches it. Each says what it needs from
/// the platform, what state it leaves, and whether that state is already in place, so the engine makes every step
/// idempotent by checking the observed state first.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(WaitHealthy), "waitHealthy")]
[JsonDerivedType(typeof(SetWeight), "setWeight")]
[JsonDerivedType(typeof(SwitchTraffic), "switchTraffic")]
[JsonDerivedType(typeof(PointPreview), "pointPreview")]
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

    /// <summary>The state this step is meant to leave behind: predicts a plan's end state, its rollback path and its duration.</summary>
    public virtual PlatformSnapshot Apply(PlatformSnapshot state) => state;

    /// <summary>True when the observed state already shows the step's effect, so executing it would change nothing.</summary>
    public virtual bool IsInPlace(PlatformSnapshot state) => false;

    /// <summary>The least time the step takes: its pause, the platform's own waits, the spacing of gate measurements.</summary>
    public virtual TimeSpan MinimumDuration(DeploymentSpec spec, PlatformSnapshot start, PlatformSnapshot before) => TimeSpan.Zero;

    private protected static PlatformSnapshot WithTargets(PlatformSnapshot s, IReadOnlyList<string> ids, Func<TargetStatus, TargetStatus> change)
    {
        var set = ids.ToHashSet(StringComparer.Ordinal);
        return s with { Targets = [.. s.Targets.Select(t => set.Contains(t.Id) ? change(t) : t)] };
    }
}

/// <summary>Wait until the given targets (or, when empty, at least <paramref name="MinHealthy"/> of a side) pass health checks.</summary>
public sealed record WaitHealthy(Side Side, IReadOnlyList<string> Targets, int MinHealthy) : PlanStep
{
    public override string Describe() => Targets.Count > 0
        ? $"wait until {string.Join(", ", Targets)} healthy"
        : $"wait until {MinHealthy} {Side.ToString().ToLowerInvariant()} target(s) healthy";

    public override PlatformSnapshot Apply(PlatformSnapshot state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var subjects = Targets.Count > 0 ? Targets : [.. state.On(Side).Where(t => t.Registered).Select(t => t.Id)];
        return WithTargets(state, subjects, t => t.Registered ? t with { Health = TargetHealth.Healthy } : t);
    }

    public override bool IsInPlace(PlatformSnapshot state) => IsHealthyIn(state);

    public override TimeSpan MinimumDuration(DeploymentSpec spec, PlatformSnapshot start, PlatformSnapshot before) =>
        IsHealthyIn(before) ? TimeSpan.Zero : start.Timings.TimeToHealthy;

    public bool IsHealthyIn(PlatformSnapshot state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Targets.Count > 0
            ? Targets.All(id => state.Find(id) is { Registered: true, Health: TargetHealth.Healthy })
            : state.HealthyServing(Side) >= MinHealthy;
    }
}

/// <summary>Send <paramref name="Percent"/> % of traffic to the candidate, the rest to stable.</summary>
public sealed record SetWeight(int Percent) : PlanStep
{
    public override string Describe() => $"set candidate weight to {Percent} %";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => PlatformCapabilities.WeightedSplit;

    public override PlatformSnapshot Apply(PlatformSnapshot state) => state with { CandidateWeight = Percent };

    public override bool IsInPlace(PlatformSnapshot state) => state?.CandidateWeight == Percent;
}

/// <summary>Move all traffic to one side in a single switch.</summary>
public sealed record SwitchTraffic(Side To) : PlanStep
{
    public override string Describe() => $"switch all traffic to {To.ToString().ToLowerInvariant()}";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => PlatformCapabilities.TrafficSwitch;

    public override PlatformSnapshot Apply(PlatformSnapshot state) => state with { ActiveSide = To, CandidateWeight = 0 };

    public override bool IsInPlace(PlatformSnapshot state) => state is { CandidateWeight: 0 } s && s.ActiveSide == To;

    public override TimeSpan MinimumDuration(DeploymentSpec spec, PlatformSnapshot start, PlatformSnapshot before) => start?.Timings.SwitchDuration ?? TimeSpan.Zero;
}

/// <summary>Point the preview route at one side: the new version for testers before the switch, the previous one after it.</summary>
public sealed record PointPreview(Side To) : PlanStep
{
    public override string Describe() => $"point the preview route at {To.ToString().ToLowerInvariant()}";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => PlatformCapabilities.PreviewRoute;

    public override PlatformSnapshot Apply(PlatformSnapshot state) => state with { PreviewSide = To };

    public override bool IsInPlace(PlatformSnapshot state) => state?.PreviewSide == To;
}

/// <summary>Wait a fixed time, or (Duration null) until `zdp promote`.</summary>
public sealed record Pause(TimeSpan? Duration) : PlanStep
{
    public override string Describe() => Duration is { } d ? $"pause {Durations.Format(d)}" : "pause until `zdp promote`";

    public override TimeSpan MinimumDuration(DeploymentSpec spec, PlatformSnapshot start, PlatformSnapshot before) => Duration ?? TimeSpan.Zero;
}

/// <summary>Evaluate a gate from the spec against one side.</summary>
public sealed record RunGate(string Gate, Side Side) : PlanStep
{
    public override string Describe() => $"gate '{Gate}' on {Side.ToString().ToLowerInvariant()}";

    public override PlatformCapabilities Needs(DeploymentSpec spec) =>
        spec?.FindGate(Gate)?.Source is MetricsGateOptions ? PlatformCapabilities.Metrics : PlatformCapabilities.None;

    public override TimeSpan MinimumDuration(DeploymentSpec spec, PlatformSnapshot start, PlatformSnapshot before) =>
        spec?.FindGate(Gate) is { } gate ? gate.Interval * Math.Max(0, gate.Count - 1) : TimeSpan.Zero;
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

    public override PlatformSnapshot Apply(PlatformSnapshot state) => WithTargets(state, Targets, t => t with { Registered = false, Health = TargetHealth.Unused });

    public override bool IsInPlace(PlatformSnapshot state) =>
        Targets.All(id => state?.Find(id) is { Registered: false, Health: not TargetHealth.Draining });

    public override TimeSpan MinimumDuration(DeploymentSpec spec, PlatformSnapshot start, PlatformSnapshot before) => start?.Timings.DeregistrationDelay ?? TimeSpan.Zero;
}

/// <summary>Put targets (back) into the pool.</summary>
public sealed record Register(IReadOnlyList<string> Targets) : PlanStep
{
    public override string Describe() => $"register {string.Join(", ", Targets)}";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => PlatformCapabilities.TargetPool;

    public override PlatformSnapshot Apply(PlatformSnapshot state) =>
        WithTargets(state, Targets, t => t with { Registered = true, Health = t.Health == TargetHealth.Healthy ? t.Health : TargetHealth.Initial });

    public override bool IsInPlace(PlatformSnapshot state) => Targets.All(id => state?.Find(id) is { Registered: true });
}

/// <summary>Bring targets to a version: the update hook, or the platform's own updater. Rollback uses ToPrevious.</summary>
public sealed record UpdateTargets(IReadOnlyList<string> Targets, bool ToPrevious, string? Hook) : PlanStep
{
    public override string Describe() =>
        $"{(ToPrevious ? "revert" : "update")} {string.Join(", ", Targets)}{(Hook is null ? "" : $" with hook '{Hook}'")}";

    public override PlatformCapabilities Needs(DeploymentSpec spec) => Hook is null ? PlatformCapabilities.TargetUpdate : PlatformCapabilities.None;

    public override PlatformSnapshot Apply(PlatformSnapshot state) => WithTargets(state, Targets, t => t with { Updated = !ToPrevious });

    public override bool IsInPlace(PlatformSnapshot state) => Targets.All(id => state?.Find(id) is { } t && t.Updated == !ToPrevious);

    /// <summary>A hook's work is the user's and unknown; the platform's own update takes what the platform says.</summary>
    public override TimeSpan MinimumDuration(DeploymentSpec spec, PlatformSnapshot start, PlatformSnapshot before) =>
        Hook is null ? start?.Timings.UpdateDuration ?? TimeSpan.Zero : TimeSpan.Zero;
}

/// <summary>Record that the previous side is kept until now + For, so a rollback stays one switch.</summary>
public sealed record RetainPrevious(TimeSpan For) : PlanStep
{
    public override string Describe() => $"keep previous side for {Durations.Format(For)}";
}
