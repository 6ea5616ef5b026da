using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Core.Plans;

/// <summary>
/// The state a step is meant to leave behind. Used to predict a plan's end state (for its rollback
/// path and duration) and by the engine to tell whether a step's effect is already in place.
/// </summary>
public static class Projection
{
    public static PlatformSnapshot Apply(PlatformSnapshot s, PlanStep step) => step switch
    {
        SetWeight w => s with { CandidateWeight = w.Percent },
        SwitchTraffic sw => s with { ActiveSide = sw.To, CandidateWeight = 0 },
        Register r => WithTargets(s, r.Targets, t => t with { Registered = true, Health = t.Health == TargetHealth.Healthy ? t.Health : TargetHealth.Initial }),
        Deregister d => WithTargets(s, d.Targets, t => t with { Registered = false, Health = TargetHealth.Unused }),
        UpdateTargets u => WithTargets(s, u.Targets, t => t with { Updated = !u.ToPrevious }),
        WaitHealthy h => WithTargets(s, Subjects(s, h), t => t.Registered ? t with { Health = TargetHealth.Healthy } : t),
        _ => s,
    };

    /// <summary>True when the observed state already shows the step's effect, so executing it would change nothing.</summary>
    public static bool IsInPlace(PlatformSnapshot s, PlanStep step) => step switch
    {
        SetWeight w => s.CandidateWeight == w.Percent,
        SwitchTraffic sw => s.ActiveSide == sw.To && s.CandidateWeight == 0,
        Register r => r.Targets.All(id => s.Find(id) is { Registered: true }),
        Deregister d => d.Targets.All(id => s.Find(id) is { Registered: false, Health: not TargetHealth.Draining }),
        UpdateTargets u => u.Targets.All(id => s.Find(id) is { } t && t.Updated == !u.ToPrevious),
        WaitHealthy h => IsHealthy(s, h),
        _ => false,
    };

    public static bool IsHealthy(PlatformSnapshot s, WaitHealthy h) => h.Targets.Count > 0
        ? h.Targets.All(id => s.Find(id) is { Registered: true, Health: TargetHealth.Healthy })
        : s.HealthyServing(h.Side) >= h.MinHealthy;

    private static IReadOnlyList<string> Subjects(PlatformSnapshot s, WaitHealthy h) =>
        h.Targets.Count > 0 ? h.Targets : s.On(h.Side).Where(t => t.Registered).Select(t => t.Id).ToList();

    private static PlatformSnapshot WithTargets(PlatformSnapshot s, IReadOnlyList<string> ids, Func<TargetStatus, TargetStatus> change)
    {
        var set = ids.ToHashSet(StringComparer.Ordinal);
        return s with { Targets = s.Targets.Select(t => set.Contains(t.Id) ? change(t) : t).ToList() };
    }
}
