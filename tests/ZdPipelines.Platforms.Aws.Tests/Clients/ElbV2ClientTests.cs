using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;
using ElbAction = ZdPipelines.Platforms.Aws.Clients.Action;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

/// <summary>ElbV2Client against moto_server's ELBv2, in a fresh ALB environment per test.</summary>
public sealed class ElbV2ClientTests(MotoServer moto) : MotoTest(moto)
{
    [Fact]
    public async Task Describe_finds_the_load_balancer_its_listener_and_the_target_groups()
    {
        var lb = (await Elb.DescribeLoadBalancersAsync(new() { Names = ["web-alb"] })).LoadBalancers.Single();
        var listener = (await Elb.DescribeListenersAsync(new() { LoadBalancerArn = lb.LoadBalancerArn })).Listeners.Single();
        var groups = (await Elb.DescribeTargetGroupsAsync(new() { TargetGroupArns = [Alb.BlueArn, Alb.GreenArn] })).TargetGroups;

        // The ARNs carry the signed region: moto takes it from the credential scope.
        Assert.StartsWith($"arn:aws:elasticloadbalancing:{Moto.Region}:{Moto.AccountId}:loadbalancer/app/web-alb/", lb.LoadBalancerArn);
        Assert.Equal("application", lb.Type);
        Assert.Equal("active", lb.State?.Code);
        Assert.Equal(Alb.VpcId, lb.VpcId);
        Assert.Equal(Alb.SubnetIds.Order(), lb.AvailabilityZones!.Select(z => z.SubnetId!).Order());
        Assert.Equal(80, listener.Port);
        Assert.Equal("HTTP", listener.Protocol);
        Assert.Equal(Alb.BlueArn, listener.DefaultActions!.Single().TargetGroupArn);
        Assert.Equal(["web-blue", "web-green"], groups.Select(g => g.TargetGroupName!).Order());
        Assert.Equal([lb.LoadBalancerArn!], groups.Single(g => g.TargetGroupName == "web-blue").LoadBalancerArns!);
        Assert.Empty(groups.Single(g => g.TargetGroupName == "web-green").LoadBalancerArns!);
        Assert.Equal("/healthz", groups[0].HealthCheckPath);
        Assert.Equal("200", groups[0].Matcher?.HttpCode);
    }

    [Fact]
    public async Task ModifyListener_to_a_weighted_forward_is_read_back_with_its_weights()
    {
        var weighted = new ElbAction
        {
            Type = "forward",
            ForwardConfig = new()
            {
                TargetGroups = [new() { TargetGroupArn = Alb.BlueArn, Weight = 900 }, new() { TargetGroupArn = Alb.GreenArn, Weight = 100 }],
                TargetGroupStickinessConfig = new() { Enabled = true, DurationSeconds = 300 },
            },
        };

        var modified = (await Elb.ModifyListenerAsync(new() { ListenerArn = Alb.ListenerArn, DefaultActions = [weighted] })).Listeners.Single();
        var described = (await Elb.DescribeListenersAsync(new() { ListenerArns = [Alb.ListenerArn] })).Listeners.Single();

        foreach (var listener in new[] { modified, described })
        {
            var forward = listener.DefaultActions!.Single().ForwardConfig!;
            Assert.Equal([(Alb.BlueArn, 900), (Alb.GreenArn, 100)], forward.TargetGroups!.Select(t => (t.TargetGroupArn!, t.Weight ?? -1)));
            Assert.Equal(new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 300 }, forward.TargetGroupStickinessConfig);
        }
    }

    [Fact]
    public async Task A_rule_read_back_and_written_unchanged_stays_the_same_rule()
    {
        var conditions = new RuleCondition[]
        {
            new() { Field = "host-header", HostHeaderConfig = new() { Values = ["api.example.com"] } },
            new() { Field = "http-header", HttpHeaderConfig = new() { HttpHeaderName = "X-Canary", Values = ["true"] } },
            new() { Field = "query-string", QueryStringConfig = new() { Values = [new() { Key = "v", Value = "2" }] } },
            new() { Field = "http-request-method", HttpRequestMethodConfig = new() { Values = ["GET"] } },
            new() { Field = "source-ip", SourceIpConfig = new() { Values = ["10.0.0.0/8"] } },
        };
        var actions = new ElbAction[]
        {
            new()
            {
                Type = "forward",
                ForwardConfig = new() { TargetGroups = [new() { TargetGroupArn = Alb.BlueArn, Weight = 1 }, new() { TargetGroupArn = Alb.GreenArn, Weight = 0 }] },
            },
        };
        var created = (await Elb.CreateRuleAsync(new() { ListenerArn = Alb.ListenerArn, Priority = 10, Conditions = conditions, Actions = actions })).Rules.Single();
        var read = (await Elb.DescribeRulesAsync(new() { RuleArns = [created.RuleArn!] })).Rules.Single();

        var rewritten = (await Elb.ModifyRuleAsync(new() { RuleArn = read.RuleArn!, Conditions = read.Conditions, Actions = read.Actions })).Rules.Single();
        var reread = (await Elb.DescribeRulesAsync(new() { RuleArns = [created.RuleArn!] })).Rules.Single();

        Assert.Equal("10", reread.Priority);
        Assert.Equal(Wire(read), Wire(rewritten));
        Assert.Equal(Wire(read), Wire(reread));
        Assert.Equal("X-Canary", reread.Conditions!.Single(c => c.Field == "http-header").HttpHeaderConfig!.HttpHeaderName);
        Assert.Equal([1, 0], reread.Actions!.Single().ForwardConfig!.TargetGroups!.Select(t => t.Weight ?? -1));
    }

    [Fact]
    public async Task Registered_targets_are_reported_healthy_and_a_deregistered_one_unused_when_asked_for()
    {
        var extra = new TargetDescription { Id = "10.0.1.99", Port = 8080 };

        await Elb.RegisterTargetsAsync(new() { TargetGroupArn = Alb.GreenArn, Targets = [extra] });
        var registered = (await Elb.DescribeTargetHealthAsync(new() { TargetGroupArn = Alb.GreenArn })).TargetHealthDescriptions;
        await Elb.DeregisterTargetsAsync(new() { TargetGroupArn = Alb.GreenArn, Targets = [extra] });
        var all = (await Elb.DescribeTargetHealthAsync(new() { TargetGroupArn = Alb.GreenArn })).TargetHealthDescriptions;
        var asked = (await Elb.DescribeTargetHealthAsync(new() { TargetGroupArn = Alb.GreenArn, Targets = [extra] })).TargetHealthDescriptions.Single();

        // moto reports "healthy" at once and "unused" right after deregistration; AWS goes initial → healthy after a
        // passing check, and draining for the deregistration delay (aws.md §4, moto/elbv2/models.py health_for).
        Assert.Equal(
            AlbEnvironment.GreenTargets.Select(t => t.Id).Append(extra.Id).Order(StringComparer.Ordinal),
            registered.Select(d => d.Target!.Id).Order(StringComparer.Ordinal));
        Assert.All(registered, d => Assert.Equal("healthy", d.TargetHealth?.State));
        Assert.Equal(AlbEnvironment.GreenTargets.Select(t => t.Id).Order(), all.Select(d => d.Target!.Id).Order());
        Assert.Equal(new TargetHealth("unused", "Target.NotRegistered", "Target is not registered to the target group"), asked.TargetHealth);
        Assert.Equal(8080, asked.Target!.Port);
    }

    [Fact]
    public async Task Tags_are_added_described_updated_and_removed()
    {
        var arns = new[] { Alb.GreenArn, Alb.LoadBalancerArn };

        await Elb.AddTagsAsync(new() { ResourceArns = arns, Tags = [new("zdp:deployment", "web-42"), new("zdp:side", "green")] });
        await Elb.AddTagsAsync(new() { ResourceArns = [Alb.GreenArn], Tags = [new("zdp:side", "live")] });
        var tagged = (await Elb.DescribeTagsAsync(new() { ResourceArns = arns })).TagDescriptions;
        await Elb.RemoveTagsAsync(new() { ResourceArns = arns, TagKeys = ["zdp:side"] });
        var untagged = (await Elb.DescribeTagsAsync(new() { ResourceArns = arns })).TagDescriptions;

        Assert.Equal(
            [new Tag("zdp:deployment", "web-42"), new Tag("zdp:side", "live")],
            tagged.Single(t => t.ResourceArn == Alb.GreenArn).Tags!.OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Equal("green", tagged.Single(t => t.ResourceArn == Alb.LoadBalancerArn).Tags!.Single(t => t.Key == "zdp:side").Value);
        Assert.All(untagged, d => Assert.Equal([new Tag("zdp:deployment", "web-42")], d.Tags!));
    }

    [Fact]
    public async Task DescribeRulesAll_follows_NextMarker_through_pages_of_one_rule()
    {
        for (var priority = 1; priority <= 4; priority++)
        {
            await Elb.CreateRuleAsync(new()
            {
                ListenerArn = Alb.ListenerArn,
                Priority = priority,
                Conditions = [new() { Field = "path-pattern", PathPatternConfig = new() { Values = [$"/p{priority}/*"] } }],
                Actions = [new() { Type = "forward", TargetGroupArn = Alb.GreenArn }],
            });
        }

        Elb.Counter.Reset();
        var rules = await Elb.DescribeRulesAllAsync(new() { ListenerArn = Alb.ListenerArn, PageSize = 1 }).ToListAsync();
        var calls = Elb.Counter.Calls("DescribeRules");
        var firstPage = await Elb.DescribeRulesAsync(new() { ListenerArn = Alb.ListenerArn, PageSize = 1 });

        Assert.Equal(["1", "2", "3", "4", "default"], rules.Select(r => r.Priority!).Order(StringComparer.Ordinal));
        Assert.Equal(5, calls);
        Assert.NotNull(firstPage.NextMarker);
        Assert.Single(firstPage.Rules);
    }

    [Fact]
    public async Task DescribeLoadBalancersAll_and_DescribeTargetGroupsAll_return_every_item_with_pages_of_one()
    {
        var second = await AlbEnvironment.CreateAsync(Factory, Elb, "api");

        Elb.Counter.Reset();
        var lbs = await Elb.DescribeLoadBalancersAllAsync(new() { PageSize = 1 }).ToListAsync();
        var groups = await Elb.DescribeTargetGroupsAllAsync(new() { PageSize = 1 }).ToListAsync();

        Assert.Equal(["api-alb", "web-alb"], lbs.Select(l => l.LoadBalancerName!).Order(StringComparer.Ordinal));
        Assert.Equal(2, Elb.Counter.Calls("DescribeLoadBalancers"));

        // moto ignores PageSize and Marker for DescribeTargetGroups and answers every group with no NextMarker
        // (moto/elbv2/responses.py describe_target_groups); AWS pages it like the others (elbv2 paginators-1.json).
        Assert.Equal(["api-blue", "api-green", "web-blue", "web-green"], groups.Select(g => g.TargetGroupName!).Order(StringComparer.Ordinal));
        Assert.Equal(second.GreenArn, groups.Single(g => g.TargetGroupName == "api-green").TargetGroupArn);
    }

    [Fact]
    public async Task Target_group_attributes_are_changed_and_read_back_as_strings()
    {
        var before = (await Elb.DescribeTargetGroupAttributesAsync(new() { TargetGroupArn = Alb.GreenArn })).Attributes;
        var changed = (await Elb.ModifyTargetGroupAttributesAsync(new()
        {
            TargetGroupArn = Alb.GreenArn,
            Attributes = [new("deregistration_delay.timeout_seconds", "30"), new("slow_start.duration_seconds", "60")],
        })).Attributes;
        var after = (await Elb.DescribeTargetGroupAttributesAsync(new() { TargetGroupArn = Alb.GreenArn })).Attributes;

        Assert.Contains(new TargetGroupAttribute("deregistration_delay.timeout_seconds", "300"), before);
        Assert.Contains(new TargetGroupAttribute("slow_start.duration_seconds", "60"), changed);
        Assert.Contains(new TargetGroupAttribute("deregistration_delay.timeout_seconds", "30"), after);
        Assert.Contains(new TargetGroupAttribute("slow_start.duration_seconds", "60"), after);
    }

    [Fact]
    public async Task An_unknown_listener_is_ListenerNotFound_and_is_not_retried()
    {
        var unknown = Alb.ListenerArn[..^4] + "beef";

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Elb.DescribeListenersAsync(new() { ListenerArns = [unknown] }));

        Assert.Equal("ListenerNotFound", error.Code);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("DescribeListeners", error.Action);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.Contains(unknown, error.Message);
        Assert.Equal(1, Elb.Counter.Requests("DescribeListeners"));
    }

    [Fact]
    public async Task Empty_answers_are_empty_lists()
    {
        var group = (await Elb.CreateTargetGroupAsync(new() { Name = "empty", Protocol = "HTTP", Port = 80, VpcId = Alb.VpcId, TargetType = "ip" })).TargetGroups.Single();

        var health = await Elb.DescribeTargetHealthAsync(new() { TargetGroupArn = group.TargetGroupArn! });
        var tags = await Elb.DescribeTagsAsync(new() { ResourceArns = [group.TargetGroupArn!] });
        var rules = await Elb.DescribeRulesAsync(new() { ListenerArn = Alb.ListenerArn });

        Assert.Empty(health.TargetHealthDescriptions);
        Assert.Empty(tags.TagDescriptions.Single().Tags!);
        var only = Assert.Single(rules.Rules);
        Assert.True(only.IsDefault);
        Assert.Equal("default", only.Priority);
        Assert.Empty(only.Conditions!);
        Assert.Null(rules.NextMarker);
    }

    private static string[] Wire(Rule rule) =>
    [
        .. new QueryParameters()
            .AddList("Conditions", rule.Conditions, ElbV2Wire.WriteCondition)
            .AddList("Actions", rule.Actions, ElbV2Wire.WriteAction)
            .Pairs.Select(p => $"{p.Key}={p.Value}"),
    ];
}
