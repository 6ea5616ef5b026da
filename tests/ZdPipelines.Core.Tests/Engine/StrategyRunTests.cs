using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Tests.Support;

namespace ZdPipelines.Core.Tests.Engine;

public sealed class StrategyRunTests
{
    [Fact]
    public async Task Canary_promotes_through_each_weight_and_ends_with_all_traffic_on_the_candidate()
    {
        var h = new EngineHarness(Specs.Canary());

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        var end = h.Platform.Snapshot();
        Assert.Equal(Side.Candidate, end.ActiveSide);
        Assert.Equal(0, end.CandidateWeight);
        Assert.Equal(100, end.TrafficShare(Side.Candidate));
        Assert.Contains(10, h.WeightsSeen);
        Assert.Contains(50, h.WeightsSeen);
        Assert.All(result.Gates, g => Assert.Equal(Core.Gates.GateVerdict.Pass, g.Verdict));
        h.AssertSafe();
    }

    [Fact]
    public async Task Canary_does_not_send_traffic_before_the_candidate_is_healthy()
    {
        var h = new EngineHarness(Specs.Canary());

        var result = await h.DeployAsync();

        var firstWeight = h.Events.OfType<StepCompleted>().First(e => e.Description.StartsWith("set candidate weight", StringComparison.Ordinal));
        var healthyAt = h.Start.Timings.TimeToHealthy;
        Assert.True(firstWeight.At - h.Start.Timings.TimeToHealthy >= new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero),
            $"weight set at {firstWeight.At:O}, before the candidate could be healthy ({healthyAt})");
        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        h.AssertSafe();
    }

    [Fact]
    public async Task Blue_green_switches_once_and_keeps_the_previous_side_for_rollback()
    {
        var h = new EngineHarness(Specs.BlueGreen());

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        var end = h.Platform.Snapshot();
        Assert.Equal(Side.Candidate, end.ActiveSide);
        Assert.All(end.On(Side.Stable), t => Assert.True(t.Registered, $"{t.Id} should be kept registered"));
        var journal = await h.Platform.ReadJournalAsync(default);
        Assert.Equal(DeploymentStatus.Succeeded, journal!.Status);
        Assert.Equal(h.Time.GetUtcNow().AddMinutes(30), journal.PreviousKeptUntil!.Value, TimeSpan.FromMinutes(2));
        Assert.Equal(1, h.Events.OfType<StepCompleted>().Count(e => e.Description.StartsWith("switch", StringComparison.Ordinal)));
        h.AssertSafe();
    }

    [Fact]
    public async Task Blue_green_rollback_within_keep_window_is_one_switch_back()
    {
        var h = new EngineHarness(Specs.BlueGreen());
        await h.DeployAsync();
        var mutationsBefore = h.Platform.Mutations;

        var result = await h.DriveAsync(h.Engine().RollbackAsync(h.Spec, "operator asked", default));

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Equal(Side.Stable, h.Platform.Snapshot().ActiveSide);
        Assert.Equal(mutationsBefore + 1, h.Platform.Mutations);
        h.AssertSafe();
    }

    [Fact]
    public async Task Rolling_updates_every_target_once_and_never_drops_below_n_minus_max_unavailable()
    {
        var h = new EngineHarness(Specs.Rolling(batch: 2, maxUnavailable: 2));
        h.Platform.CapacityFloor = 6 - 2;

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        var end = h.Platform.Snapshot();
        Assert.All(end.On(Side.Stable), t =>
        {
            Assert.True(t.Updated, $"{t.Id} not updated");
            Assert.True(t.Registered);
            Assert.Equal(TargetHealth.Healthy, t.Health);
            Assert.Equal(1, h.Platform.UpdatesOf(t.Id));
        });
        h.AssertSafe();
    }

    [Fact]
    public async Task Rolling_with_an_update_hook_passes_each_batch_to_the_hook_and_records_the_new_version()
    {
        var spec = Specs.Rolling(batch: 2, maxUnavailable: 2) with
        {
            Strategy = new StrategySpec { Rolling = new RollingSpec { BatchSize = CountOrPercent.FromCount(2), MaxUnavailable = CountOrPercent.FromCount(2), UpdateHook = "restart", Gates = ["error-rate"] } },
            Hooks = new HooksSpec { Update = [new HookSpec { Name = "restart", Run = "./restart.sh" }] },
        };
        var h = new EngineHarness(spec);
        h.Platform.CapacityFloor = 4;

        var result = await h.DeployAsync();

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal(["stable-1,stable-2", "stable-3,stable-4", "stable-5,stable-6"], h.Hooks.Calls.Select(c => string.Join(",", c.Context.Targets)));
        Assert.All(h.Platform.Snapshot().On(Side.Stable), t =>
        {
            Assert.True(t.Updated, $"{t.Id} not recorded as updated");
            Assert.Equal(0, h.Platform.UpdatesOf(t.Id)); // the hook updated it, not the platform
        });
        h.AssertSafe();
    }

    [Fact]
    public async Task Rolling_lowers_a_batch_that_would_breach_max_unavailable()
    {
        var h = new EngineHarness(Specs.Rolling(batch: 4, maxUnavailable: 1));
        h.Platform.CapacityFloor = 5;

        var plan = h.Plan();
        var result = await h.DeployAsync();

        Assert.All(plan.Steps.OfType<Deregister>(), d => Assert.Single(d.Targets));
        Assert.Contains(plan.Notes, n => n.Contains("batch size lowered from 4 to 1", StringComparison.Ordinal));
        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        h.AssertSafe();
    }

    [Fact]
    public async Task Rolling_with_surge_adds_spare_targets_first_and_removes_them_at_the_end()
    {
        var h = new EngineHarness(Specs.Rolling(Specs.Platform(stable: 4, candidate: 2), batch: 3, maxUnavailable: 1, maxSurge: 2), candidatesRegistered: false);
        h.Platform.CapacityFloor = 3;

        var plan = h.Plan();
        var result = await h.DeployAsync();

        Assert.Equal(3, plan.Steps.OfType<Deregister>().First().Targets.Count);
        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.All(h.Platform.Snapshot().On(Side.Candidate), t => Assert.False(t.Registered));
        h.AssertSafe();
    }

    [Fact]
    public async Task Rolling_waits_for_capacity_when_a_remaining_target_turns_unhealthy()
    {
        var h = new EngineHarness(Specs.Rolling(batch: 1, maxUnavailable: 1));
        var deregistrationsWhileFailing = 0;
        var failing = false;
        h.Platform.BeforeMutation = (_, what) =>
        {
            if (failing && what.StartsWith("deregister", StringComparison.Ordinal))
            {
                deregistrationsWhileFailing++;
            }

            return Task.CompletedTask;
        };
        var run = h.DeployAsync();
        await h.RunClockUntilAsync(() => h.Platform.Snapshot().Targets.Any(t => t.Updated), TimeSpan.FromHours(1));
        h.Platform.SetFailing("stable-6", true);
        failing = true;
        var failedAt = h.Time.GetUtcNow();
        await h.RunClockUntilAsync(() => h.Time.GetUtcNow() - failedAt >= TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));
        failing = false;
        h.Platform.SetFailing("stable-6", false);

        var result = await run;

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal(0, deregistrationsWhileFailing);
    }
}
