using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Simulated;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Tests.Support;

namespace ZdPipelines.Core.Tests.Plans;

public sealed class DeploymentPlannerTests
{
    private static PlatformSnapshot Observe(DeploymentSpec spec) => new SimulatedPlatform(spec.Platform.OptionsAs<SimulatedPlatformOptions>(), new FakeTimeProvider()).Snapshot();

    [Fact]
    public void A_platform_without_weighted_split_refuses_canary_and_names_the_capability()
    {
        var spec = Specs.Canary();

        var result = DeploymentPlanner.Plan(spec, PlatformCapabilities.TrafficSwitch | PlatformCapabilities.Metrics | PlatformCapabilities.DeploymentStore, Observe(spec));

        Assert.Null(result.Plan);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("WeightedSplit", problem, StringComparison.Ordinal);
        Assert.Contains("split traffic by weight", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Rolling_without_an_update_hook_needs_a_platform_that_updates_targets()
    {
        var spec = Specs.Rolling();

        var result = DeploymentPlanner.Plan(spec, PlatformCapabilities.TargetPool | PlatformCapabilities.Metrics, Observe(spec));

        Assert.Contains(result.Problems, p => p.Contains("TargetUpdate", StringComparison.Ordinal) && p.Contains("updateHook", StringComparison.Ordinal));
    }

    [Fact]
    public void Canary_plan_waits_for_health_then_follows_the_steps_and_promotes_with_one_switch()
    {
        var spec = Specs.Canary();

        var plan = DeploymentPlanner.Plan(spec, PlatformCapabilities.WeightedSplit | PlatformCapabilities.TrafficSwitch | PlatformCapabilities.Metrics, Observe(spec)).Plan!;

        Assert.Collection(plan.Steps,
            s => Assert.IsType<WaitHealthy>(s),
            s => Assert.Equal(new SetWeight(10), s),
            s => Assert.Equal(new Pause(TimeSpan.FromMinutes(1)), s),
            s => Assert.IsType<RunGate>(s),
            s => Assert.Equal(new SetWeight(50), s),
            s => Assert.Equal(new Pause(TimeSpan.FromMinutes(1)), s),
            s => Assert.IsType<RunGate>(s),
            s => Assert.Equal(new SwitchTraffic(Side.Candidate), s));
        Assert.Contains(plan.Rollback, s => s is SwitchTraffic { To: Side.Stable });
    }

    [Fact]
    public void The_predicted_minimum_adds_pauses_health_thresholds_drains_and_gate_spacing()
    {
        var spec = Specs.Rolling(batch: 2, maxUnavailable: 2);

        var plan = DeploymentPlanner.Plan(spec, PlatformCapabilities.TargetPool | PlatformCapabilities.TargetUpdate | PlatformCapabilities.Metrics, Observe(spec)).Plan!;

        // 3 batches × (drain 20 s + healthy 2 × 5 s + gate 2 × 10 s)
        Assert.Equal(TimeSpan.FromSeconds(3 * (20 + 10 + 20)), plan.PredictedMinimum);
    }

    [Fact]
    public void Rolling_rollback_path_reverts_every_target_it_would_update()
    {
        var spec = Specs.Rolling(batch: 2, maxUnavailable: 2);

        var plan = DeploymentPlanner.Plan(spec, PlatformCapabilities.TargetPool | PlatformCapabilities.TargetUpdate | PlatformCapabilities.Metrics, Observe(spec)).Plan!;

        var reverted = plan.Rollback.OfType<UpdateTargets>().Where(u => u.ToPrevious).SelectMany(u => u.Targets).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"stable-{i}").Order().ToList(), reverted);
    }

    /// <summary>Three targets a platform updates while they serve (one App Service app each), the third already updated.</summary>
    private static PlatformSnapshot InPlaceSnapshot() => new()
    {
        UpdatesInPlace = true,
        Timings = new PlatformTimings { SwitchDuration = TimeSpan.FromMinutes(1), UpdateDuration = TimeSpan.FromMinutes(1), HealthyThreshold = 1 },
        Targets =
        [
            new TargetStatus("app-weu", Side.Stable, true, TargetHealth.Healthy),
            new TargetStatus("app-neu", Side.Stable, true, TargetHealth.Healthy),
            new TargetStatus("app-use", Side.Stable, true, TargetHealth.Healthy, Updated: true),
        ],
    };

    [Fact]
    public void Rolling_on_a_platform_that_updates_in_place_changes_one_batch_at_a_time_without_a_target_pool()
    {
        var spec = Specs.Rolling(batch: 2, maxUnavailable: 1);

        var result = DeploymentPlanner.Plan(spec, PlatformCapabilities.TargetUpdate | PlatformCapabilities.Metrics, InPlaceSnapshot());

        Assert.True(result.Plan is not null, string.Join(" ", result.Problems));
        Assert.Equal(
            [
                new UpdateTargets(["app-weu"], false, null), new WaitHealthy(Side.Stable, ["app-weu"], 1), new RunGate("error-rate", Side.Candidate),
                new UpdateTargets(["app-neu"], false, null), new WaitHealthy(Side.Stable, ["app-neu"], 1), new RunGate("error-rate", Side.Candidate),
            ],
            result.Plan!.Steps,
            new StepComparer());
        Assert.Contains(result.Plan.Notes, n => n.Contains("lowered from 2 to 1", StringComparison.Ordinal));
        // Two updates of one minute each and two gates of 2 × 10 s.
        Assert.Equal(TimeSpan.FromSeconds((2 * 60) + (2 * 20)), result.Plan.PredictedMinimum);
    }

    [Fact]
    public void The_rollback_of_targets_updated_in_place_reverts_them_without_draining()
    {
        var spec = Specs.Rolling(batch: 1, maxUnavailable: 1);
        var start = InPlaceSnapshot() with { Targets = [.. InPlaceSnapshot().Targets.Select(t => t with { Updated = false })] };
        var current = InPlaceSnapshot();

        var rollback = RollbackPlanner.Plan(start, current, spec);

        Assert.Equal([new UpdateTargets(["app-use"], ToPrevious: true, Hook: null), new WaitHealthy(Side.Stable, ["app-use"], 1)], rollback, new StepComparer());
    }

    [Fact]
    public void A_rolling_rollback_cut_short_after_registering_waits_for_those_targets_before_it_drains_another()
    {
        var spec = Specs.Rolling(batch: 1, maxUnavailable: 1);
        PlatformSnapshot Pool(TargetHealth first, bool secondUpdated) => new()
        {
            Targets =
            [
                new TargetStatus("stable-1", Side.Stable, true, first),
                new TargetStatus("stable-2", Side.Stable, true, TargetHealth.Healthy, Updated: secondUpdated),
                new TargetStatus("stable-3", Side.Stable, true, TargetHealth.Healthy),
            ],
        };

        var rollback = RollbackPlanner.Plan(Pool(TargetHealth.Healthy, secondUpdated: false), Pool(TargetHealth.Initial, secondUpdated: true), spec);

        Assert.Equal(new WaitHealthy(Side.Stable, ["stable-1"], 1), rollback[0], new StepComparer());
        Assert.IsType<Deregister>(rollback[1]);
    }

    [Fact]
    public void A_target_unhealthy_because_the_new_version_serves_it_is_healed_by_the_switch_back_not_waited_for()
    {
        var spec = Specs.BlueGreen();
        var start = new PlatformSnapshot
        {
            ActiveSide = Side.Stable,
            Targets = [new TargetStatus("production", Side.Stable, true, TargetHealth.Healthy), new TargetStatus("staging", Side.Candidate, true, TargetHealth.Healthy)],
        };
        var current = start with
        {
            ActiveSide = Side.Candidate,
            Targets = [new TargetStatus("production", Side.Stable, true, TargetHealth.Initial), new TargetStatus("staging", Side.Candidate, true, TargetHealth.Healthy)],
        };

        var rollback = RollbackPlanner.Plan(start, current, spec);

        Assert.Equal([new WaitHealthy(Side.Stable, [], 1), new SwitchTraffic(Side.Stable)], rollback, new StepComparer());
    }

    [Fact]
    public void Rolling_that_must_drain_is_refused_on_a_platform_without_a_target_pool_naming_the_capability()
    {
        var spec = Specs.Rolling();

        var result = DeploymentPlanner.Plan(spec, PlatformCapabilities.TargetUpdate | PlatformCapabilities.Metrics, Observe(spec));

        Assert.Null(result.Plan);
        Assert.Contains(result.Problems, p => p.Contains("missing capability: TargetPool", StringComparison.Ordinal));
    }

    [Fact]
    public void A_switch_takes_at_least_the_time_the_platform_says_a_switch_takes()
    {
        var spec = Specs.BlueGreen();
        var start = new PlatformSnapshot { Timings = new PlatformTimings { SwitchDuration = TimeSpan.FromSeconds(90) } };

        Assert.Equal(TimeSpan.FromSeconds(90), new SwitchTraffic(Side.Candidate).MinimumDuration(spec, start, start));
        Assert.Equal(TimeSpan.Zero, new UpdateTargets(["a"], false, "update").MinimumDuration(spec, start, start));
    }

    /// <summary>Plan steps hold lists, which records compare by reference: compare what they describe.</summary>
    private sealed class StepComparer : IEqualityComparer<PlanStep>
    {
        public bool Equals(PlanStep? x, PlanStep? y) => x?.GetType() == y?.GetType() && x?.Describe() == y?.Describe();

        public int GetHashCode(PlanStep obj) => obj.Describe().GetHashCode(StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_whose_effect_is_in_place_is_recognised_as_such()
    {
        var s = new PlatformSnapshot { CandidateWeight = 10 };

        Assert.True(new SetWeight(10).IsInPlace(s));
        Assert.False(new SetWeight(20).IsInPlace(s));
        Assert.False(new SwitchTraffic(Side.Stable).IsInPlace(s));
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("2d", 172_800_000)]
    public void Durations_parse_as_users_write_them(string text, long ms)
    {
        Assert.True(Durations.TryParse(text, out var d));
        Assert.Equal(ms, (long)d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("5 minutes")]
    [InlineData("")]
    public void Durations_without_a_unit_are_rejected(string text) => Assert.False(Durations.TryParse(text, out _));
}
