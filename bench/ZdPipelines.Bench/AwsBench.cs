using ZdPipelines.Platforms.Aws.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Cli;
using System.Globalization;
using System.Xml.Linq;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Bench;

/// <summary>
/// AWS API calls a deployment makes on an ALB in moto_server, beside two minimums: the issue's (the changes themselves
/// and one DescribeTargetHealth per wait) and the safe one, which adds what a deployment cannot do without and stay
/// safe: the lease (a rule created and deleted, the listing read before and after), the journal read at the start and
/// written once at the start, after each change and once at the end (crash recovery), the forward read before each
/// change (ModifyListener replaces the whole list), and the health each traffic move is guarded by. Each is listed per
/// action with its reason in README ("Benchmarks") and docs/aws.md ("API calls and throttling"). API calls are what AWS
/// throttles (per account and region, shared with the user's other tools), so this is the ALB platform's cost that
/// matters; moto's instant health and draining make the wall time meaningless here. Signal reads (one DescribeTags per
/// 5 s between steps) and lease renewals (one AddTags per 30 s) depend on time, not on steps: both runs here take a few
/// seconds, so they show up as at most a call or two, and a long run pays them per minute (docs/aws.md).
/// </summary>
internal static class AwsBench
{
    // moto picks service and region from the Authorization header's credential scope and checks no signature, so the
    // few EC2 calls that make the VPC carry a scope only (the AWS clients have no EC2 client).
    private const string Region = "us-east-1";

    public static async Task<IReadOnlyList<AwsBenchRow>> RunAsync(CancellationToken cancellationToken)
    {
        var moto = new MotoServer();
        try
        {
            await moto.InitializeAsync();
            return
            [
                await RollingAsync(moto.Endpoint, targets: 1000, batch: 100, cancellationToken),
                await CanaryAsync(moto.Endpoint, cancellationToken),
            ];
        }
        finally
        {
            await moto.DisposeAsync();
        }
    }

    private static async Task<AwsBenchRow> RollingAsync(Uri endpoint, int targets, int batch, CancellationToken cancellationToken)
    {
        var (factory, elb, alb) = await AlbAsync(endpoint, "roll", targets, cancellationToken);
        using var _ = factory;
        var spec = Spec(endpoint, alb.Listener, null, $$"""
            strategy: { rolling: { batchSize: {{batch}}, maxUnavailable: {{batch}}, updateHook: update } }
            hooks: { update: [ { name: update, run: ./update.sh } ] }

            """);
        var result = await DeployAsync(spec, elb, cancellationToken);
        var batches = (int)Math.Ceiling(targets / (double)batch);
        // Per batch: DeregisterTargets and RegisterTargets, one DescribeTargetHealth to see it drained and one to see it healthy.
        return Row($"rolling {targets} targets, batches of {batch}", result, elb.Counter, issueMinimum: batches * 4, new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["DeregisterTargets"] = batches,
            ["RegisterTargets"] = batches,
            // Each batch seen drained and seen healthy; the first batch's capacity floor is the start's reading, later
            // ones the previous batch's healthy reading.
            ["DescribeTargetHealth"] = (batches * 2) + 1,
            // The forward, once: rolling never changes it.
            ["DescribeListeners"] = 1,
            // Journal: written at the start, after each deregister, update hook and register, and with the outcome.
            ["AddTags"] = 1 + (batches * 3) + 1,
            // Journal read before the lease is taken, and again under it.
            ["DescribeTags"] = 2,
            ["DescribeRules"] = 2,
            ["CreateRule"] = 1,
            ["DeleteRule"] = 1,
        });
    }

    private static async Task<AwsBenchRow> CanaryAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var (factory, elb, alb) = await AlbAsync(endpoint, "canary", 10, cancellationToken);
        using var _ = factory;
        var spec = Spec(endpoint, alb.Listener, [alb.Blue, alb.Green], """
            strategy: { canary: { steps: [ { setWeight: 10 }, { setWeight: 20 }, { setWeight: 40 }, { setWeight: 60 }, { setWeight: 80 } ] } }

            """);
        var result = await DeployAsync(spec, elb, cancellationToken);
        // Five weight changes and the promotion, and one DescribeTargetHealth of the canary before the first.
        return Row("canary, 5 weight steps + promotion", result, elb.Counter, issueMinimum: 6 + 1, new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["ModifyListener"] = 6,
            // Once at the start, and right before each change: ModifyListener replaces the whole list of actions.
            ["DescribeListeners"] = 1 + 6,
            // The start (both groups, journalled; it also guards the first move), then the guard of each later move:
            // both sides for a weight, the candidate for the switch.
            ["DescribeTargetHealth"] = 2 + (4 * 2) + 1,
            // Journal: at the start, after each change but the last, and with the outcome (which records the last).
            ["AddTags"] = 1 + 5 + 1,
            ["DescribeTags"] = 2,
            ["DescribeRules"] = 2,
            ["CreateRule"] = 1,
            ["DeleteRule"] = 1,
        });
    }

    private static AwsBenchRow Row(string scenario, DeploymentResult result, AwsCallCounter counter, int issueMinimum, IReadOnlyDictionary<string, int> minimum)
    {
        var calls = counter.CallsByAction;
        string Group(params string[] actions) => actions.Sum(a => calls.GetValueOrDefault(a)).ToString(CultureInfo.InvariantCulture);
        return new AwsBenchRow(
            scenario,
            result.Outcome.ToString(),
            counter.TotalCalls,
            issueMinimum,
            minimum.Values.Sum(),
            $"changes {Group("ModifyListener", "ModifyRule", "RegisterTargets", "DeregisterTargets")}, " +
            $"health {Group("DescribeTargetHealth")}, listener {Group("DescribeListeners", "DescribeRules")}, " +
            $"lease+journal {Group("DescribeTags", "AddTags", "RemoveTags", "CreateRule", "DeleteRule")}, other {Group("DescribeTargetGroups", "DescribeTargetGroupAttributes", "DescribeLoadBalancers")}",
            result.Took,
            calls.Keys.Union(minimum.Keys).Order(StringComparer.Ordinal).Select(a => (a, calls.GetValueOrDefault(a))).ToList(),
            minimum);
    }

    private static async Task<DeploymentResult> DeployAsync(DeploymentSpec spec, ElbV2Client elb, CancellationToken cancellationToken)
    {
        var platform = new AlbPlatform(spec.Platform.OptionsAs<AwsAlbPlatformOptions>(), spec.Strategy.Rolling is not null, elb, TimeProvider.System, new AlbPlatformOptions { MaxJournalTags = 9 });
        var plan = DeploymentPlanner.Plan(spec, platform.Capabilities(), await platform.ObserveAsync(cancellationToken)).Plan
            ?? throw new InvalidOperationException("the bench spec does not plan");
        elb.Counter.Reset();
        var engine = new DeploymentEngine(platform, new GateEvaluator([], TimeProvider.System), new NoOpHooks(), TimeProvider.System,
            new EngineOptions { MinPoll = TimeSpan.FromMilliseconds(10), MaxPoll = TimeSpan.FromMilliseconds(50) });
        return await engine.DeployAsync(spec, plan, "bench", cancellationToken);
    }

    private static DeploymentSpec Spec(Uri endpoint, string listener, IReadOnlyList<string>? groups, string rest)
    {
        var yaml = $"""
            name: bench
            platform:
              type: awsAlb
              awsAlb:
                region: {Region}
                endpointUrl: {endpoint}
                listenerArn: {listener}
            {(groups is null ? "" : $"    targetGroupArns: [{string.Join(", ", groups)}]\n")}
            """ + rest;
        var read = SpecReader.Read(yaml, "bench.yml", ZdpModules.All);
        return read.Spec ?? throw new InvalidOperationException(string.Join(Environment.NewLine, read.Errors));
    }

    /// <summary>A VPC, an ALB, a blue group of IP targets 10.0.x.y (numbered, so the journal stays a few tags) and a green one, and a listener to blue.</summary>
    private static async Task<(AwsClientFactory Factory, ElbV2Client Elb, (string Listener, string Blue, string Green) Alb)> AlbAsync(
        Uri endpoint, string name, int targets, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=bench/20260101/{Region}/ec2/aws4_request, SignedHeaders=host, Signature=0");
        async Task<XElement> Ec2Async(string body)
        {
            using var response = await http.PostAsync(endpoint, new StringContent(body + "&Version=2016-11-15", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), cancellationToken);
            response.EnsureSuccessStatusCode();
            return XElement.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }

        string Text(XElement e, string local) => e.Descendants().First(d => d.Name.LocalName == local).Value;
        var vpc = Text(await Ec2Async("Action=CreateVpc&CidrBlock=10.0.0.0/16"), "vpcId");
        var subnets = new List<string>();
        foreach (var (cidr, zone) in new[] { ("10.0.0.0/20", "a"), ("10.0.16.0/20", "b") })
        {
            subnets.Add(Text(await Ec2Async($"Action=CreateSubnet&VpcId={vpc}&CidrBlock={Uri.EscapeDataString(cidr)}&AvailabilityZone={Region}{zone}"), "subnetId"));
        }

        var factory = new AwsClientFactory(new AwsClientOptions { Region = Region, EndpointUrl = endpoint }, AwsCredentialsSource.FromKeys("bench", "bench", description: "moto's dummy keys"));
        var elb = factory.CreateElbV2Client();
        var lb = (await elb.CreateLoadBalancerAsync(new() { Name = $"{name}-alb", Subnets = subnets, Type = "application" }, cancellationToken)).LoadBalancers.Single();
        async Task<string> GroupAsync(string group, int count)
        {
            var arn = (await elb.CreateTargetGroupAsync(new() { Name = $"{name}-{group}", Protocol = "HTTP", Port = 8080, VpcId = vpc, TargetType = "ip" }, cancellationToken)).TargetGroups.Single().TargetGroupArn!;
            var ips = Enumerable.Range(0, count).Select(i => new TargetDescription { Id = $"10.0.{(group == "blue" ? 0 : 16) + (i / 250)}.{(i % 250) + 1}", Port = 8080 }).ToList();
            foreach (var chunk in ips.Chunk(500))
            {
                await elb.RegisterTargetsAsync(new() { TargetGroupArn = arn, Targets = chunk }, cancellationToken);
            }

            return arn;
        }

        var blue = await GroupAsync("blue", targets);
        var green = await GroupAsync("green", Math.Min(targets, 10));
        var listener = (await elb.CreateListenerAsync(new()
        {
            LoadBalancerArn = lb.LoadBalancerArn!,
            Protocol = "HTTP",
            Port = 80,
            DefaultActions = [new() { Type = "forward", TargetGroupArn = blue }],
        }, cancellationToken)).Listeners.Single().ListenerArn!;
        return (factory, elb, (listener, blue, green));
    }

    private sealed class NoOpHooks : IHookRunner
    {
        public Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken) => Task.FromResult(new HookResult(0, ""));
    }
}

/// <summary>One scenario: the calls it made, in total and per action, beside the least it needs, in total and per action.</summary>
internal sealed record AwsBenchRow(
    string Scenario, string Outcome, int Calls, int IssueMinimum, int Minimum, string Breakdown, TimeSpan Took,
    IReadOnlyList<(string Action, int Made)> ByAction, IReadOnlyDictionary<string, int> MinimumByAction);
