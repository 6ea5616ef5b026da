using System.Text.Json;
using System.Text.RegularExpressions;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Alb;

/// <summary>docs/aws.md and examples/aws-*.yml hold to the code: the examples plan against moto, and the IAM policy lists exactly the calls zdp makes.</summary>
public sealed partial class AlbDocsTests(MotoServer moto) : AlbTestBed(moto)
{
    [GeneratedRegex(@"listenerArn: arn:\S+")]
    private static partial Regex ListenerLine();

    [GeneratedRegex(@"previewRuleArn: arn:\S+")]
    private static partial Regex PreviewRuleLine();

    [GeneratedRegex(@"arn:aws:elasticloadbalancing:\S+:targetgroup/shop-(blue|green)/[0-9a-f]{16}")]
    private static partial Regex TargetGroupArn();

    [GeneratedRegex(@"^\s*credentials:.*$\n", RegexOptions.Multiline)]
    private static partial Regex CredentialsLine();

    [GeneratedRegex(@"```json\n(\{.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    public static TheoryData<string> Examples => ["aws-blue-green.yml", "aws-canary.yml", "aws-rolling.yml"];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Each_aws_example_plans_against_moto_resources_and_changes_nothing(string example)
    {
        var preview = await CreateHeaderRuleAsync("X-Preview", 10);
        var extra = Enumerable.Range(3, 6).Select(i => new TargetDescription { Id = $"i-0b1e00000000000{i}", Port = 8080 }).ToList();
        await Elb.RegisterTargetsAsync(new() { TargetGroupArn = Alb.BlueArn, Targets = extra });
        var text = File.ReadAllText(Path.Combine(Root(), "examples", example));
        // The examples name an account's real ARNs; here they become this moto ALB's, and the credentials moto's keys.
        text = ListenerLine().Replace(text, $"listenerArn: {Alb.ListenerArn}\n    endpointUrl: {MotoServer.Endpoint}");
        text = PreviewRuleLine().Replace(text, $"previewRuleArn: {preview.RuleArn}");
        text = TargetGroupArn().Replace(text, m => m.Groups[1].Value == "blue" ? Alb.BlueArn : Alb.GreenArn);
        text = CredentialsLine().Replace(text, "");
        var read = SpecReader.Read(text, example, TestModules.Catalog);
        Assert.True(read.IsValid, string.Join(Environment.NewLine, read.Errors));
        var spec = read.Spec!;
        var before = (await ListenerActionsAsync(), await TagsAsync(Alb.ListenerArn), await RegisteredAsync(Alb.BlueArn));

        var platform = Platform(spec);
        await platform.VerifyAsync(CancellationToken.None);
        var plan = await PlanAsync(spec, platform);

        Assert.NotEmpty(plan.Steps);
        Assert.NotEmpty(plan.Rollback);
        if (spec.Strategy.BlueGreen is not null)
        {
            // The preview rule reaches the new version before the switch and the previous one after it: steps `zdp plan` shows.
            Assert.Equal([new PointPreview(Side.Candidate), new PointPreview(Side.Stable)], plan.Steps.OfType<PointPreview>());
        }

        if (spec.Strategy.Rolling is not null)
        {
            // 8 targets, 25 % batches: four batches, each waiting for moto's default deregistration delay of 300 s.
            Assert.Equal(4, plan.Steps.OfType<Deregister>().Count());
            Assert.True(plan.PredictedMinimum >= TimeSpan.FromSeconds(4 * 300), Durations.Format(plan.PredictedMinimum));
        }

        Assert.Equal(before.Item1, await ListenerActionsAsync());
        Assert.Equal(before.Item2, await TagsAsync(Alb.ListenerArn));
        Assert.Equal(before.Item3, await RegisteredAsync(Alb.BlueArn));
    }

    [Fact]
    public async Task The_IAM_policy_in_docs_aws_md_lists_exactly_the_actions_each_strategy_calls()
    {
        var statements = PolicyStatements();
        var common = statements["ZdpRead"].Concat(statements["ZdpLeaseAndJournal"]).Concat(statements["ZdpLeaseRule"]).ToHashSet();
        var allowedFor = new Dictionary<string, HashSet<string>>
        {
            ["blueGreen"] = [.. common, .. statements["ZdpBlueGreenAndCanary"], .. statements["ZdpGates"]],
            ["canary"] = [.. common, .. statements["ZdpBlueGreenAndCanary"], .. statements["ZdpGates"]],
            ["rolling"] = [.. common, .. statements["ZdpRolling"], .. statements["ZdpGates"]],
        };
        var called = new HashSet<string>();
        await SetAlarmAsync("shop-5xx", "ALARM");
        await PutAlbMetricsAsync(Alb.GreenArn, requests: 100, errors: 0);
        var preview = await CreateHeaderRuleAsync("X-Preview", 10);
        var rule = await CreateHeaderRuleAsync("X-Tenant", 20);

        var scenarios = new (string Strategy, DeploymentSpec Spec)[]
        {
            // Blue-green on the listener, with a preview rule, rolled back by an alarm after the switch.
            ("blueGreen", Spec("""
                strategy: { blueGreen: { postSwitchGates: [alarms], bake: 0s } }
                gates: [ { name: alarms, alarm: { names: [shop-5xx] }, condition: "== 0", count: 1 } ]

                """, previewRuleArn: preview.RuleArn)),
            // Canary on a rule, with a CloudWatch gate, promoted.
            ("canary", Spec("""
                strategy: { canary: { steps: [ { setWeight: 20 }, { gate: rate } ] } }
                gates: [ { name: rate, cloudWatch: { preset: targetGroup5xxRate }, condition: "< 0.1", count: 1 } ]

                """, ruleArn: rule.RuleArn)),
            // Rolling, rolled back by the alarm after its first batch.
            ("rolling", Spec("""
                strategy: { rolling: { batchSize: 1, maxUnavailable: 1, updateHook: update, gates: [alarms] } }
                gates: [ { name: alarms, alarm: { names: [shop-5xx] }, condition: "== 0", count: 1 } ]
                hooks: { update: [ { name: update, run: ./update.sh } ] }

                """, twoGroups: false)),
        };

        foreach (var (strategy, spec) in scenarios)
        {
            using var factory = Moto.Factory(MotoServer.Endpoint);
            var elb = factory.CreateElbV2Client();
            var cloudWatch = factory.CreateCloudWatchClient();
            var platform = PlatformFor(spec, elb, TimeProvider.System, MotoLimits, cloudWatch);
            var plan = DeploymentPlanner.Plan(spec, platform.Capabilities(), await platform.ObserveAsync(CancellationToken.None)).Plan!;
            await Engine(platform).DeployAsync(spec, plan, "digest", CancellationToken.None);

            var actions = elb.Counter.CallsByAction.Keys.Select(a => $"elasticloadbalancing:{a}")
                .Concat(cloudWatch.Counter.CallsByAction.Keys.Select(a => $"cloudwatch:{a}"))
                .ToHashSet();
            Assert.True(actions.IsSubsetOf(allowedFor[strategy]), $"{strategy} called {string.Join(", ", actions.Except(allowedFor[strategy]))}, which docs/aws.md does not allow it");
            called.UnionWith(actions);
        }

        Assert.Equal(statements.Values.SelectMany(a => a).Order(StringComparer.Ordinal), called.Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, List<string>> PolicyStatements()
    {
        var doc = File.ReadAllText(Path.Combine(Root(), "docs", "aws.md")).ReplaceLineEndings("\n");
        var policy = JsonBlock().Matches(doc).Select(m => JsonDocument.Parse(m.Groups[1].Value).RootElement)
            .Single(p => p.GetProperty("Statement").EnumerateArray().Any(s => s.TryGetProperty("Sid", out var sid) && sid.GetString() == "ZdpRead"));
        return policy.GetProperty("Statement").EnumerateArray().ToDictionary(
            s => s.GetProperty("Sid").GetString()!,
            s => s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToList());
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ZdPipelines.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ZdPipelines.sln above {AppContext.BaseDirectory}");
    }
}
