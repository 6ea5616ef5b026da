using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;
using ElbAction = ZdPipelines.Platforms.Aws.Clients.Action;

namespace ZdPipelines.Platforms.Aws.Tests.Alb;

/// <summary>
/// Runs the real <see cref="DeploymentEngine"/> on an <see cref="AlbPlatform"/> against moto_server, on real time with
/// tiny waits (moto reports targets healthy at once and deregistered ones gone at once), and records the load
/// balancer's state after every step.
/// </summary>
public abstract class AlbTestBed(MotoServer moto) : MotoTest(moto)
{
    /// <summary>moto_server allows 10 tags per resource (ELBv2 allows 50): the lease takes one, the journal at most the rest.</summary>
    private protected static readonly AlbPlatformOptions MotoLimits = new() { MaxJournalTags = 9 };

    private protected static readonly EngineOptions FastEngine = new()
    {
        Owner = "test-runner/1",
        MinPoll = TimeSpan.FromMilliseconds(10),
        MaxPoll = TimeSpan.FromMilliseconds(50),
    };

    private protected CloudWatchClient CloudWatch { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        CloudWatch = Factory.CreateCloudWatchClient();
    }

    /// <summary>A spec for the ALB of the test bed: the platform block is filled in, the rest is the caller's YAML.</summary>
    private protected DeploymentSpec Spec(string rest, string? ruleArn = null, string? previewRuleArn = null, bool twoGroups = true, string? listenerArn = null, IReadOnlyList<string>? groups = null)
    {
        var lines = new List<string>
        {
            "name: shop-api",
            "platform:",
            "  type: awsAlb",
            "  awsAlb:",
            $"    region: {Moto.Region}",
            $"    endpointUrl: {MotoServer.Endpoint}",
            $"    listenerArn: {listenerArn ?? Alb.ListenerArn}",
        };
        if (ruleArn is not null)
        {
            lines.Add($"    ruleArn: {ruleArn}");
        }

        if (twoGroups)
        {
            lines.Add($"    targetGroupArns: [{string.Join(", ", groups ?? [Alb.BlueArn, Alb.GreenArn])}]");
        }

        if (previewRuleArn is not null)
        {
            lines.Add($"    previewRuleArn: {previewRuleArn}");
            lines.Add("    previewUrl: http://preview.example.test");
        }

        var result = SpecReader.Read(string.Join('\n', lines) + "\n" + rest, "zdp.yml", TestModules.Catalog);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Spec!;
    }

    private protected AlbPlatform Platform(DeploymentSpec spec, ElbV2Client? elb = null) => PlatformFor(spec, elb ?? Elb, TimeProvider.System, MotoLimits, CloudWatch);

    /// <summary>The platform as the module opens it for <paramref name="spec"/>: its awsAlb block, and whether the strategy is rolling.</summary>
    private protected static AlbPlatform PlatformFor(DeploymentSpec spec, ElbV2Client elb, TimeProvider time, AlbPlatformOptions? limits = null, CloudWatchClient? cloudWatch = null) =>
        new(spec.Platform.OptionsAs<AwsAlbPlatformOptions>(), spec.Strategy.Rolling is not null, elb, time, limits, cloudWatch);

    private protected static DeploymentEngine Engine(AlbPlatform platform, Action<DeploymentEvent>? events = null, IHookRunner? hooks = null) =>
        new(platform, new GateEvaluator(TestModules.GateSources(platform, TimeProvider.System), TimeProvider.System), hooks ?? new RecordingHooks(), TimeProvider.System, FastEngine, events);

    private protected static async Task<DeploymentPlan> PlanAsync(DeploymentSpec spec, AlbPlatform platform)
    {
        var result = DeploymentPlanner.Plan(spec, platform.Capabilities(), await platform.ObserveAsync(CancellationToken.None));
        Assert.True(result.Plan is not null, string.Join(Environment.NewLine, result.Problems));
        return result.Plan!;
    }

    /// <summary>Plans and deploys, recording the load balancer after every completed step (forward or rollback).</summary>
    private protected async Task<(DeploymentResult Result, List<LbState> States)> DeployAsync(DeploymentSpec spec, AlbPlatform platform, IHookRunner? hooks = null, string target = "")
    {
        var states = new List<LbState>();
        var plan = await PlanAsync(spec, platform);
        var engine = Engine(platform, e =>
        {
            if (e is StepCompleted or StepSkipped)
            {
                var description = e is StepCompleted c ? c.Description : ((StepSkipped)e).Description;
                var rollback = e is StepCompleted c2 ? c2.Rollback : ((StepSkipped)e).Rollback;
                // The engine's event callback is synchronous; reading moto off the test's context keeps it from blocking itself.
                states.Add(Task.Run(() => StateAsync(description, rollback, target)).GetAwaiter().GetResult());
            }
        }, hooks);
        var result = await engine.DeployAsync(spec, plan, "digest-1", CancellationToken.None);
        return (result, states);
    }

    private protected async Task<LbState> StateAsync(string step = "", bool rollback = false, string target = "")
    {
        var actions = target.Contains(":listener-rule/", StringComparison.Ordinal)
            ? (await Elb.DescribeRulesAsync(new() { RuleArns = [target] })).Rules.Single().Actions!
            : (await Elb.DescribeListenersAsync(new() { ListenerArns = [Alb.ListenerArn] })).Listeners.Single().DefaultActions!;
        var forward = actions.Single(a => a.Type == "forward");
        var weights = forward.ForwardConfig?.TargetGroups is { Count: > 0 } groups
            ? groups.Select(g => (Group: Name(g.TargetGroupArn!), Weight: g.Weight ?? 1)).ToList()
            : [(Group: Name(forward.TargetGroupArn!), Weight: 1)];
        var blue = await RegisteredAsync(Alb.BlueArn);
        var green = await RegisteredAsync(Alb.GreenArn);
        return new LbState(step, rollback, forward, weights, blue, green);
    }

    private protected async Task<IReadOnlyList<string>> RegisteredAsync(string group) =>
        [.. (await Elb.DescribeTargetHealthAsync(new() { TargetGroupArn = group })).TargetHealthDescriptions
            .Where(d => d.TargetHealth?.State is not ("unused" or "draining"))
            .Select(d => $"{d.Target!.Id}:{d.Target.Port}")
            .Order(StringComparer.Ordinal)];

    private protected async Task<IReadOnlyDictionary<string, string>> TagsAsync(string arn) =>
        (await Elb.DescribeTagsAsync(new() { ResourceArns = [arn] })).TagDescriptions.Single().Tags!.ToDictionary(t => t.Key, t => t.Value ?? "");

    private protected async Task<IReadOnlyList<ElbAction>> ListenerActionsAsync() =>
        (await Elb.DescribeListenersAsync(new() { ListenerArns = [Alb.ListenerArn] })).Listeners.Single().DefaultActions!;

    /// <summary>A rule on the listener with an http-header condition, forwarding to blue: a preview path, or a deployment target.</summary>
    private protected async Task<Rule> CreateHeaderRuleAsync(string header, int priority) =>
        (await Elb.CreateRuleAsync(new()
        {
            ListenerArn = Alb.ListenerArn,
            Priority = priority,
            Conditions = [new RuleCondition { Field = "http-header", HttpHeaderConfig = new HttpHeaderConditionConfig { HttpHeaderName = header, Values = ["1"] } }],
            Actions = [new ElbAction { Type = "forward", TargetGroupArn = Alb.BlueArn }],
        })).Rules.Single();

    /// <summary>PutMetricAlarm then SetAlarmState through the raw Query transport: the gates only read alarms, so the CloudWatch client has no call for it.</summary>
    private protected async Task SetAlarmAsync(string name, string state)
    {
        var query = Factory.CreateQueryClient(AwsQueryService.CloudWatch);
        await query.SendAsync("PutMetricAlarm", new QueryParameters()
            .Add("AlarmName", name).Add("MetricName", "HTTPCode_Target_5XX_Count").Add("Namespace", "AWS/ApplicationELB")
            .Add("Statistic", "Sum").Add("Period", 60).Add("EvaluationPeriods", 1).Add("Threshold", 1.0).Add("ComparisonOperator", "GreaterThanThreshold"), CancellationToken.None);
        await query.SendAsync("SetAlarmState", new QueryParameters().Add("AlarmName", name).Add("StateValue", state).Add("StateReason", "test"), CancellationToken.None);
    }

    /// <summary>ALB-shaped data points for a target group, a little in the past so the gate's trailing window holds them.</summary>
    private protected async Task PutAlbMetricsAsync(string group, double requests, double errors)
    {
        var dimensions = new List<Dimension>
        {
            new("LoadBalancer", AlbArns.LoadBalancerDimension(Alb.LoadBalancerArn)),
            new("TargetGroup", AlbArns.TargetGroupDimension(group)),
        };
        var at = DateTimeOffset.UtcNow.AddSeconds(-30);
        await CloudWatch.PutMetricDataAsync(new()
        {
            Namespace = "AWS/ApplicationELB",
            MetricData =
            [
                new MetricDatum { MetricName = "RequestCount", Dimensions = dimensions, Timestamp = at, Value = requests, Unit = "Count" },
                new MetricDatum { MetricName = "HTTPCode_Target_5XX_Count", Dimensions = dimensions, Timestamp = at, Value = errors, Unit = "Count" },
            ],
        });
    }

    private protected string Name(string arn) => arn == Alb.BlueArn ? "blue" : arn == Alb.GreenArn ? "green" : AlbArns.TargetGroupName(arn);
}

/// <summary>The load balancer after one step: the forward action, its weights by group, and the registered targets of each group.</summary>
internal sealed record LbState(string Step, bool Rollback, ElbAction Forward, IReadOnlyList<(string Group, int Weight)> Weights, IReadOnlyList<string> Blue, IReadOnlyList<string> Green)
{
    public string Serving => string.Join(",", Weights.Where(w => w.Weight > 0).Select(w => $"{w.Group}={w.Weight}"));
}

/// <summary>A hook runner that records every call and succeeds, unless told to fail a hook.</summary>
public sealed class RecordingHooks(string? failing = null) : IHookRunner
{
    public List<(string Hook, IReadOnlyList<string> Targets, bool Rollback)> Calls { get; } = [];

    public Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((hook.Name, context.Targets, context.Rollback));
        }

        return Task.FromResult(new HookResult(hook.Name == failing ? 1 : 0, hook.Name == failing ? "failed on purpose" : "ok"));
    }
}
