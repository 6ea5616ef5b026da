using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;
using ElbAction = ZdPipelines.Platforms.Aws.Clients.Action;

namespace ZdPipelines.Platforms.Aws.Tests.Alb;

/// <summary>Every strategy end to end through our clients against moto_server, with the load balancer checked after every step.</summary>
public sealed class AlbStrategyTests(MotoServer moto) : AlbTestBed(moto)
{
    private const string BlueGreen = """
        strategy:
          blueGreen: { postSwitchGates: [alarms], bake: 0s, keepPreviousFor: 30m }
        gates:
          - { name: alarms, alarm: { names: [shop-5xx] }, condition: "== 0", count: 1 }

        """;

    private const string Canary = """
        strategy:
          canary:
            steps: [ { setWeight: 10 }, { gate: canary-5xx }, { setWeight: 25 }, { pause: 10ms }, { setWeight: 50 }, { setWeight: 75 }, { setWeight: 90 } ]
        gates:
          - { name: canary-5xx, cloudWatch: { preset: targetGroup5xxRate, side: candidate, window: 5m }, condition: "< 0.05", count: 1, noData: pass }

        """;

    private const string Rolling = """
        strategy:
          rolling: { batchSize: 2, maxUnavailable: 2, updateHook: update, gates: [alarms] }
        gates:
          - { name: alarms, alarm: { namePrefix: shop- }, condition: "== 0", count: 1, noData: pass }
        hooks:
          update: [ { name: update, run: ./update.sh } ]

        """;

    [Fact]
    public async Task Blue_green_switches_the_forward_from_blue_to_green_and_points_the_preview_at_the_idle_side()
    {
        var preview = await CreateHeaderRuleAsync("X-Zdp-Preview", 10);
        await SetAlarmAsync("shop-5xx", "OK");
        var spec = Spec(BlueGreen, previewRuleArn: preview.RuleArn);

        var (result, states) = await DeployAsync(spec, Platform(spec));

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        // After each step: wait healthy, preview to green, switch, preview back to blue, bake, keep previous.
        Assert.Equal(
            ["blue=1", "blue=1", "green=1", "green=1", "green=1", "green=1"],
            states.Select(s => s.Serving));
        Assert.All(states, s => Assert.Equal(AlbEnvironment.BlueTargets.Select(t => $"{t.Id}:{t.Port}"), s.Blue));
        var after = (await ListenerActionsAsync()).Single();
        Assert.Equal(Alb.GreenArn, after.TargetGroupArn);
        // After the switch the preview reaches the previous version, kept for a one-switch rollback.
        Assert.Equal(Alb.BlueArn, (await Elb.DescribeRulesAsync(new() { RuleArns = [preview.RuleArn!] })).Rules.Single().Actions!.Single().TargetGroupArn);
        var tags = await TagsAsync(Alb.ListenerArn);
        Assert.DoesNotContain(AlbTagStore.LegacyLeaseKey, tags.Keys);
        // The lease rule was deleted when the deployment ended.
        Assert.DoesNotContain((await Elb.DescribeRulesAsync(new() { ListenerArn = Alb.ListenerArn })).Rules, r => AlbLeaseRule.LeaseKeyOf(r) is not null);
        Assert.Contains("zdp:journal:0", tags.Keys);
        var journal = await Platform(spec).ReadJournalAsync(CancellationToken.None);
        Assert.Equal(DeploymentStatus.Succeeded, journal!.Status);
        Assert.Equal(result.DeploymentId, journal.DeploymentId);
        Assert.NotNull(journal.PreviousKeptUntil);
    }

    [Fact]
    public async Task Blue_green_rolls_back_to_the_exact_starting_action_when_the_post_switch_alarm_fires()
    {
        await SetAlarmAsync("shop-5xx", "ALARM");
        var spec = Spec(BlueGreen);
        var before = await ListenerActionsAsync();

        var (result, states) = await DeployAsync(spec, Platform(spec));

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("gate 'alarms' failed", result.Reason, StringComparison.Ordinal);
        Assert.Contains("in ALARM: shop-5xx", result.Reason, StringComparison.Ordinal);
        Assert.Equal("green=1", states.Last(s => !s.Rollback).Serving);
        Assert.Equal("blue=1", states.Last().Serving);
        Assert.Equal(before, await ListenerActionsAsync());
        var journal = await Platform(spec).ReadJournalAsync(CancellationToken.None);
        Assert.Equal(DeploymentStatus.RolledBack, journal!.Status);
    }

    [Fact]
    public async Task Canary_steps_the_weights_keeps_stickiness_and_promotes_to_green()
    {
        var sticky = new ElbAction
        {
            Type = "forward",
            TargetGroupArn = Alb.BlueArn,
            ForwardConfig = new ForwardActionConfig
            {
                TargetGroups = [new TargetGroupTuple { TargetGroupArn = Alb.BlueArn, Weight = 1 }],
                TargetGroupStickinessConfig = new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 600 },
            },
        };
        await Elb.ModifyListenerAsync(new() { ListenerArn = Alb.ListenerArn, DefaultActions = [sticky] });
        await PutAlbMetricsAsync(Alb.GreenArn, requests: 200, errors: 1);
        var spec = Spec(Canary);

        var (result, states) = await DeployAsync(spec, Platform(spec));

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal(
            ["blue=1", "blue=90,green=10", "blue=90,green=10", "blue=75,green=25", "blue=75,green=25", "blue=50,green=50", "blue=25,green=75", "blue=10,green=90", "green=1"],
            states.Select(s => s.Serving));
        Assert.All(states, s => Assert.Equal(new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 600 }, s.Forward.ForwardConfig!.TargetGroupStickinessConfig));
        Assert.Equal(0.005, result.Gates.Single().LastValue);
    }

    [Fact]
    public async Task Canary_rolls_back_to_blue_when_the_cloudwatch_5xx_rate_of_the_canary_is_too_high()
    {
        await PutAlbMetricsAsync(Alb.GreenArn, requests: 100, errors: 40);
        await PutAlbMetricsAsync(Alb.BlueArn, requests: 900, errors: 0);
        var spec = Spec(Canary);
        var before = await ListenerActionsAsync();

        var (result, states) = await DeployAsync(spec, Platform(spec));

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Contains("value 0.4", result.Reason, StringComparison.Ordinal);
        Assert.Equal(["blue=1", "blue=90,green=10"], states.Where(s => !s.Rollback).Select(s => s.Serving));
        Assert.Equal("blue=1", states.Last().Serving);
        Assert.Equal(before, await ListenerActionsAsync());
    }

    [Fact]
    public async Task Canary_on_a_rule_changes_only_the_rules_forward_and_keeps_its_conditions_and_the_listener()
    {
        var rule = await CreateHeaderRuleAsync("X-Tenant", 5);
        var listenerBefore = await ListenerActionsAsync();
        var spec = Spec(Canary, ruleArn: rule.RuleArn);
        await PutAlbMetricsAsync(Alb.GreenArn, requests: 10, errors: 0);

        var (result, states) = await DeployAsync(spec, Platform(spec), target: rule.RuleArn!);

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal("blue=10,green=90", states[^2].Serving);
        var after = (await Elb.DescribeRulesAsync(new() { RuleArns = [rule.RuleArn!] })).Rules.Single();
        Assert.Equal(Alb.GreenArn, after.Actions!.Single().TargetGroupArn);
        Assert.Equal(
            rule.Conditions!.Select(c => (c.Field, c.HttpHeaderConfig!.HttpHeaderName, string.Join(",", c.HttpHeaderConfig.Values!))),
            after.Conditions!.Select(c => (c.Field, c.HttpHeaderConfig!.HttpHeaderName, string.Join(",", c.HttpHeaderConfig.Values!))));
        Assert.Equal(listenerBefore, await ListenerActionsAsync());
        Assert.Contains("zdp:journal:0", (await TagsAsync(rule.RuleArn!)).Keys);
    }

    [Fact]
    public async Task Rolling_takes_out_updates_and_re_registers_every_target_in_batches_keeping_the_rest_in_service()
    {
        var extra = Enumerable.Range(3, 4).Select(i => new TargetDescription { Id = $"i-0b1e00000000000{i}", Port = 8080 }).ToList();
        await Elb.RegisterTargetsAsync(new() { TargetGroupArn = Alb.BlueArn, Targets = extra });
        var all = await RegisteredAsync(Alb.BlueArn);
        var hooks = new RecordingHooks();
        var spec = Spec(Rolling, twoGroups: false);

        var (result, states) = await DeployAsync(spec, Platform(spec), hooks);

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal([all.Take(2), all.Skip(2).Take(2), all.Skip(4)], hooks.Calls.Select(c => c.Targets.AsEnumerable()));
        var outOfService = states.Where(s => s.Step.StartsWith("deregister", StringComparison.Ordinal)).Select(s => all.Except(s.Blue).ToList()).ToList();
        Assert.Equal([all.Take(2), all.Skip(2).Take(2), all.Skip(4)], outOfService.Select(o => o.AsEnumerable()));
        Assert.All(states, s => Assert.True(s.Blue.Count >= all.Count - 2, $"{s.Step}: only {s.Blue.Count} in service"));
        Assert.Equal(all, await RegisteredAsync(Alb.BlueArn));
        Assert.All(states, s => Assert.Equal("blue=1", s.Serving));
    }

    [Fact]
    public async Task Rolling_reverts_the_updated_batches_when_the_alarm_fires_after_the_first_batch()
    {
        await SetAlarmAsync("shop-latency", "ALARM");
        var all = await RegisteredAsync(Alb.BlueArn);
        var hooks = new RecordingHooks();
        var spec = Spec(Rolling.Replace("batchSize: 2, maxUnavailable: 2", "batchSize: 1, maxUnavailable: 1", StringComparison.Ordinal), twoGroups: false);

        var (result, _) = await DeployAsync(spec, Platform(spec), hooks);

        Assert.Equal(DeploymentOutcome.RolledBack, result.Outcome);
        Assert.Equal([(all[0], false), (all[0], true)], hooks.Calls.Select(c => (c.Targets.Single(), c.Rollback)));
        Assert.Equal(all, await RegisteredAsync(Alb.BlueArn));
    }

    [Fact]
    public async Task A_second_deployment_is_refused_while_another_run_holds_the_lease_rule_of_the_listener()
    {
        var spec = Spec(BlueGreen);
        var other = Platform(spec);
        var taken = await other.TryAcquireLeaseAsync(new Lease("shop-api-other", "ci-runner-9/77", DateTimeOffset.UtcNow.AddMinutes(2)), CancellationToken.None);
        Assert.True(taken.Acquired);
        var before = await ListenerActionsAsync();

        var (result, _) = await DeployAsync(spec, Platform(spec));

        Assert.Equal(DeploymentOutcome.Refused, result.Outcome);
        Assert.Contains("shop-api-other by ci-runner-9/77", result.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await ListenerActionsAsync());
    }

    [Fact]
    public async Task A_finished_blue_green_is_rolled_back_from_another_machine_that_reads_the_journal_from_the_tags()
    {
        await SetAlarmAsync("shop-5xx", "OK");
        var spec = Spec(BlueGreen);
        var before = await ListenerActionsAsync();
        var (result, _) = await DeployAsync(spec, Platform(spec));
        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);

        // Another machine: a new platform and a new engine, knowing nothing but the spec.
        var elsewhere = Platform(spec);
        var snapshot = await elsewhere.ObserveAsync(CancellationToken.None);
        var rollback = await Engine(elsewhere).RollbackAsync(spec, "zdp rollback", CancellationToken.None);

        Assert.Equal(Core.Plans.Side.Candidate, snapshot.ActiveSide);
        Assert.Equal(DeploymentOutcome.RolledBack, rollback.Outcome);
        Assert.Equal(before, await ListenerActionsAsync());
    }

    [Fact]
    public async Task A_paused_canary_is_seen_and_promoted_from_another_machine_through_the_tags()
    {
        var spec = Spec("""
            strategy:
              canary:
                steps: [ { setWeight: 30 }, { pause: untilPromote } ]

            """);
        var deploy = DeployAsync(spec, Platform(spec));
        var elsewhere = Engine(Platform(spec));
        Journal? seen = null;
        for (var i = 0; i < 200 && seen?.Status != DeploymentStatus.Paused; i++)
        {
            await Task.Delay(50);
            seen = await elsewhere.ReadJournalAsync(CancellationToken.None);
        }

        Assert.Equal(DeploymentStatus.Paused, seen!.Status);
        Assert.Equal("blue=70,green=30", (await StateAsync()).Serving);
        Assert.NotNull((await elsewhere.RequestPromoteAsync(spec, CancellationToken.None)).Journal);
        var (result, _) = await deploy;

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal("green=1", (await StateAsync()).Serving);
    }
}
