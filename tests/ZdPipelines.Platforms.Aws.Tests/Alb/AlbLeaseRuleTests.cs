using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Alb;

/// <summary>The lease as a listener rule, against moto_server: its shape, renewal, release, and each way it can be lost or refused.</summary>
public sealed class AlbLeaseRuleTests(MotoServer moto) : AlbTestBed(moto)
{
    private const string BlueGreen = """
        strategy:
          blueGreen: { bake: 0s }

        """;

    private static Lease LeaseOf(string id, string owner = "host-a/1", TimeSpan? lifetime = null) =>
        new(id, owner, DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromMinutes(2)));

    [Fact]
    public async Task The_lease_is_a_rule_that_matches_no_request_holds_the_lease_in_its_tag_and_sits_in_the_reserved_window()
    {
        var platform = Platform(Spec(BlueGreen));
        var lease = LeaseOf("d-1");

        Assert.True((await platform.TryAcquireLeaseAsync(lease, CancellationToken.None)).Acquired);

        var rule = Assert.Single(await LeaseRulesAsync());
        var condition = Assert.Single(rule.Conditions!);
        Assert.Equal("http-header", condition.Field);
        Assert.Equal(AlbLeaseRule.HeaderName, condition.HttpHeaderConfig!.HttpHeaderName);
        // "listener." and 128 random bits in hex: no wildcard, nothing a client could send by chance.
        Assert.Matches("^listener\\.[0-9a-f]{32}$", Assert.Single(condition.HttpHeaderConfig.Values!));
        var action = Assert.Single(rule.Actions!);
        Assert.Equal("fixed-response", action.Type);
        Assert.Null(action.TargetGroupArn);
        var priority = int.Parse(rule.Priority!);
        Assert.InRange(priority, AlbLeaseSlots.WindowStart, AlbLeaseSlots.WindowEnd);
        Assert.Equal(AlbLeaseSlots.FirstPriorityFor(Alb.ListenerArn), priority);
        Assert.Equal(AlbLeaseRule.FormatLease(lease), (await TagsAsync(rule.RuleArn!))[AlbLeaseRule.LeaseTagKey]);
        // The listener's own tags (the journal's place) are untouched.
        Assert.Empty(await TagsAsync(Alb.ListenerArn));
    }

    [Fact]
    public async Task A_renewal_is_one_tag_write_on_the_same_rule()
    {
        var platform = Platform(Spec(BlueGreen));
        await platform.TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None);
        var rule = Assert.Single(await LeaseRulesAsync());
        Elb.Counter.Reset();
        var longer = LeaseOf("d-1", lifetime: TimeSpan.FromMinutes(3));

        Assert.True((await platform.TryAcquireLeaseAsync(longer, CancellationToken.None)).Acquired);

        Assert.Equal(1, Elb.Counter.TotalCalls);
        Assert.Equal(1, Elb.Counter.Calls("AddTags"));
        Assert.Equal(rule.RuleArn, Assert.Single(await LeaseRulesAsync()).RuleArn);
        Assert.Equal(AlbLeaseRule.FormatLease(longer), (await TagsAsync(rule.RuleArn!))[AlbLeaseRule.LeaseTagKey]);
    }

    [Fact]
    public async Task A_lease_whose_rule_was_deleted_by_someone_else_is_lost_at_the_next_renewal()
    {
        var platform = Platform(Spec(BlueGreen));
        await platform.TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None);
        await Elb.DeleteRuleAsync(new() { RuleArn = Assert.Single(await LeaseRulesAsync()).RuleArn! });

        var renewal = await platform.TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None);

        Assert.False(renewal.Acquired);
        Assert.Null(renewal.Holder);
        // Losing it did not create a new rule behind anybody's back.
        Assert.Empty(await LeaseRulesAsync());
    }

    [Fact]
    public async Task A_lease_that_lapsed_by_the_holders_own_clock_is_not_renewed_and_its_rule_is_deleted()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var platform = PlatformFor(Spec(BlueGreen), Elb, clock, MotoLimits);
        await platform.TryAcquireLeaseAsync(new Lease("d-1", "host-a/1", clock.GetUtcNow().AddMinutes(2)), CancellationToken.None);

        // Frozen (SIGSTOP) past its lease: another run may have seen it expired and acted meanwhile.
        clock.Advance(TimeSpan.FromMinutes(2));
        var renewal = await platform.TryAcquireLeaseAsync(new Lease("d-1", "host-a/1", clock.GetUtcNow().AddMinutes(2)), CancellationToken.None);

        Assert.False(renewal.Acquired);
        Assert.Empty(await LeaseRulesAsync());
    }

    [Fact]
    public async Task A_short_lease_renewed_on_the_engines_cadence_stays_held()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var platform = PlatformFor(Spec(BlueGreen), Elb, clock, MotoLimits);
        var lease = TimeSpan.FromSeconds(8);
        await platform.TryAcquireLeaseAsync(new Lease("d-1", "host-a/1", clock.GetUtcNow() + lease), CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            // The engine renews every quarter lease; the 10 s skew allowance must not make an 8 s lease lapse at once.
            clock.Advance(lease / 4);
            Assert.True((await platform.TryAcquireLeaseAsync(new Lease("d-1", "host-a/1", clock.GetUtcNow() + lease), CancellationToken.None)).Acquired);
        }

        Assert.Single(await LeaseRulesAsync());
    }

    [Fact]
    public async Task Release_deletes_the_rule_and_a_rule_that_is_already_gone_is_fine()
    {
        var platform = Platform(Spec(BlueGreen));
        await platform.TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None);

        await platform.ReleaseLeaseAsync("d-1", CancellationToken.None);
        Assert.Empty(await LeaseRulesAsync());

        var again = Platform(Spec(BlueGreen));
        await again.TryAcquireLeaseAsync(LeaseOf("d-2"), CancellationToken.None);
        await Elb.DeleteRuleAsync(new() { RuleArn = Assert.Single(await LeaseRulesAsync()).RuleArn! });
        await again.ReleaseLeaseAsync("d-2", CancellationToken.None);
        Assert.True((await Platform(Spec(BlueGreen)).TryAcquireLeaseAsync(LeaseOf("d-3"), CancellationToken.None)).Acquired);
    }

    [Fact]
    public async Task Releasing_another_deployments_lease_deletes_nothing()
    {
        var holder = Platform(Spec(BlueGreen));
        await holder.TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None);

        await Platform(Spec(BlueGreen)).ReleaseLeaseAsync("d-1", CancellationToken.None);
        await holder.ReleaseLeaseAsync("d-other", CancellationToken.None);

        Assert.Single(await LeaseRulesAsync());
    }

    [Fact]
    public async Task A_rule_of_the_users_at_the_first_slot_moves_the_lease_to_the_next_and_a_second_run_still_finds_it()
    {
        var first = AlbLeaseSlots.FirstPriorityFor(Alb.ListenerArn);
        await CreateHeaderRuleAsync("X-Tenant", first);
        var platform = Platform(Spec(BlueGreen));

        Assert.True((await platform.TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None)).Acquired);
        var refused = await Platform(Spec(BlueGreen)).TryAcquireLeaseAsync(LeaseOf("d-2", "host-b/2"), CancellationToken.None);

        Assert.Equal(AlbLeaseSlots.Probe(first).ElementAt(1), int.Parse(Assert.Single(await LeaseRulesAsync()).Priority!));
        Assert.False(refused.Acquired);
        Assert.Equal("d-1", refused.Holder?.DeploymentId);
    }

    [Fact]
    public async Task Slots_all_held_by_the_users_rules_are_one_message_naming_them_and_nothing_is_changed()
    {
        foreach (var slot in AlbLeaseSlots.Probe(AlbLeaseSlots.FirstPriorityFor(Alb.ListenerArn)))
        {
            await CreateHeaderRuleAsync($"X-Tenant-{slot}", slot);
        }

        var rulesBefore = (await Elb.DescribeRulesAsync(new() { ListenerArn = Alb.ListenerArn })).Rules.Count;

        var error = await Assert.ThrowsAsync<PlatformException>(() => Platform(Spec(BlueGreen)).TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None));

        Assert.Contains("rules that are not zdp's hold all of them", error.Message);
        Assert.Contains($"Fix: move one of those rules to a priority outside {AlbLeaseSlots.WindowStart}-{AlbLeaseSlots.WindowEnd}", error.Message);
        Assert.EndsWith("Nothing was changed.", error.Message);
        Assert.Equal(rulesBefore, (await Elb.DescribeRulesAsync(new() { ListenerArn = Alb.ListenerArn })).Rules.Count);
    }

    [Fact]
    public async Task A_load_balancer_at_its_rule_quota_is_one_message_saying_what_the_lease_needs()
    {
        await using var proxy = await FaultProxy.StartAsync(MotoServer.Endpoint);
        using var viaProxy = Moto.Factory(proxy.Endpoint);
        proxy.Fail("CreateRule", 1, 400, "TooManyRules", "You've reached the limit on the number of rules per load balancer.");

        var error = await Assert.ThrowsAsync<PlatformException>(
            () => Platform(Spec(BlueGreen), viaProxy.CreateElbV2Client()).TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None));

        Assert.StartsWith($"the load balancer of {Alb.ListenerArn} has as many listener rules as its quota allows, and zdp needs one more while a deployment runs", error.Message);
        Assert.Contains("raise \"Rules per Application Load Balancer\" (100 by default) in Service Quotas", error.Message);
        Assert.EndsWith("Nothing was changed.", error.Message);
        Assert.Equal(1, proxy.Count("CreateRule"));
    }

    [Fact]
    public async Task Asking_who_holds_the_lease_with_an_expired_lease_writes_nothing()
    {
        var probe = Platform(Spec(BlueGreen));
        Elb.Counter.Reset();

        var free = await probe.TryAcquireLeaseAsync(new Lease("probe", "status/1", DateTimeOffset.UtcNow), CancellationToken.None);
        await Platform(Spec(BlueGreen)).TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None);
        var held = await probe.TryAcquireLeaseAsync(new Lease("probe", "status/1", DateTimeOffset.UtcNow), CancellationToken.None);
        await probe.ReleaseLeaseAsync("probe", CancellationToken.None);

        Assert.True(free.Acquired);
        Assert.False(held.Acquired);
        Assert.Equal("d-1", held.Holder?.DeploymentId);
        Assert.Equal(1, Elb.Counter.Calls("CreateRule"));
        Assert.Equal(0, Elb.Counter.Calls("DeleteRule"));
        Assert.Single(await LeaseRulesAsync());
    }

    [Fact]
    public async Task A_live_lease_tag_of_an_older_zdp_on_the_listener_is_respected()
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(2);
        await Elb.AddTagsAsync(new()
        {
            ResourceArns = [Alb.ListenerArn],
            Tags = [new Tag(AlbTagStore.LegacyLeaseKey, AlbLeaseRule.FormatLease(new Lease("old-run", "ci-7/42", expires)))],
        });

        var result = await Platform(Spec(BlueGreen)).TryAcquireLeaseAsync(LeaseOf("d-1"), CancellationToken.None);

        Assert.False(result.Acquired);
        Assert.Equal("old-run", result.Holder?.DeploymentId);
        Assert.Empty(await LeaseRulesAsync());
    }

    [Fact]
    public async Task The_listener_and_a_rule_of_it_have_leases_of_their_own()
    {
        var rule = await CreateHeaderRuleAsync("X-Tenant", 20);
        var onListener = Platform(Spec(BlueGreen));
        var onRule = Platform(Spec(BlueGreen, ruleArn: rule.RuleArn));

        Assert.True((await onListener.TryAcquireLeaseAsync(LeaseOf("d-listener"), CancellationToken.None)).Acquired);
        Assert.True((await onRule.TryAcquireLeaseAsync(LeaseOf("d-rule", "host-b/2"), CancellationToken.None)).Acquired);

        Assert.Equal(2, (await LeaseRulesAsync()).Count);
        Assert.False((await Platform(Spec(BlueGreen, ruleArn: rule.RuleArn)).TryAcquireLeaseAsync(LeaseOf("d-3", "host-c/3"), CancellationToken.None)).Acquired);
    }

    private async Task<IReadOnlyList<Rule>> LeaseRulesAsync() =>
        [.. (await Elb.DescribeRulesAsync(new() { ListenerArn = Alb.ListenerArn, PageSize = 400 })).Rules.Where(r => AlbLeaseRule.LeaseKeyOf(r) is not null)];
}
