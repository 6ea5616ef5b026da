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
