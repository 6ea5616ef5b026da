using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using static ZdPipelines.Core.Tests.Spec.SpecSamples;

namespace ZdPipelines.Core.Tests.Spec;

public sealed class AwsSpecReaderTests
{
    private const string Listener = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
    private const string Rule = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    private const string Blue = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-blue/73e2d6bc24d8a067";
    private const string Green = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-green/09a3f2b6a8c9e1d0";

    /// <summary>Canary on an ALB with every AWS key. Line numbers matter: the mistake rows refer to them.</summary>
    private const string AwsCanary = $$"""
        name: shop-api
        platform:
          type: awsAlb
          awsAlb:
            region: eu-west-1
            endpointUrl: http://127.0.0.1:5000
            listenerArn: {{Listener}}
            ruleArn: {{Rule}}
            targetGroupArns: [{{Blue}}, {{Green}}]
            previewUrl: https://preview.example.com
            credentials: { roleArn: "arn:aws:iam::123456789012:role/zdp-deploy", githubOidc: true, roleSessionName: zdp-ci }
        strategy:
          canary:
            steps: [ { setWeight: 10 }, { gate: canary-5xx }, { gate: p99 }, { gate: alarms }, { setWeight: 100 } ]
        gates:
          - name: canary-5xx
            cloudWatch: { preset: targetGroup5xxRate, side: candidate, period: 1m, window: 5m }
            condition: "< 0.01"
          - name: p99
            cloudWatch:
              queries:
                - id: latency
                  metric: { namespace: AWS/ApplicationELB, name: TargetResponseTime, stat: p99, dimensions: { LoadBalancer: "{loadBalancer}", TargetGroup: "{targetGroup}" } }
            condition: "< 0.5"
          - name: alarms
            alarm: { names: [shop-5xx, shop-latency] }
            condition: "== 0"

        """;

    private const string AwsRolling = $$"""
        name: shop-api
        platform:
          type: awsAlb
          awsAlb:
            region: eu-west-1
            listenerArn: {{Listener}}
        strategy:
          rolling: { batchSize: 2, maxUnavailable: 2, updateHook: update }
        gates:
          - name: rate
            cloudWatch:
              queries:
                - { id: errors, metric: { namespace: AWS/ApplicationELB, name: HTTPCode_Target_5XX_Count, stat: Sum, dimensions: { TargetGroup: "{stableTargetGroup}" } }, returnData: false }
                - { id: requests, metric: { namespace: AWS/ApplicationELB, name: RequestCount, stat: Sum }, returnData: false }
                - { id: ratio, expression: "errors / requests" }
            condition: "< 0.02"
          - name: alarms
            alarm: { namePrefix: shop- }
            condition: "== 0"
        hooks:
          update: [ { name: update, run: ./update.sh } ]

        """;

    private static DeploymentSpec ReadValid(string yaml)
    {
        var result = SpecReader.Read(yaml, "zdp.yml", TestModules.Catalog);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Spec!;
    }

    [Fact]
    public void An_aws_canary_spec_reads_the_alb_block_and_the_cloudwatch_and_alarm_gates()
    {
        var spec = ReadValid(AwsCanary);

        Assert.Equal("awsAlb", spec.Platform.Type);
        var alb = spec.Platform.OptionsAs<AwsAlbPlatformOptions>();
        Assert.Equal("eu-west-1", alb.Region);
        Assert.Equal("http://127.0.0.1:5000", alb.EndpointUrl);
        Assert.Equal(Listener, alb.ListenerArn);
        Assert.Equal(Rule, alb.RuleArn);
        Assert.Equal([Blue, Green], alb.TargetGroupArns);
        Assert.Equal("https://preview.example.com", alb.PreviewUrl);
        Assert.Equal(new AwsCredentialsSpec { RoleArn = "arn:aws:iam::123456789012:role/zdp-deploy", GithubOidc = true, RoleSessionName = "zdp-ci" }, alb.Credentials);

        var rate = spec.FindGate("canary-5xx")!;
        Assert.Equal("cloudWatch", rate.SourceKind);
        Assert.Equal(AlbMetricPreset.TargetGroup5xxRate, rate.SourceAs<CloudWatchGateOptions>()!.Preset);
        Assert.Equal(Side.Candidate, rate.SourceAs<CloudWatchGateOptions>()!.Side);
        Assert.Equal(TimeSpan.FromMinutes(5), rate.SourceAs<CloudWatchGateOptions>()!.Window);

        var query = Assert.Single(spec.FindGate("p99")!.SourceAs<CloudWatchGateOptions>()!.Queries);
        Assert.Equal("latency", query.Id);
        Assert.Equal("p99", query.Metric!.Stat);
        Assert.Equal("{targetGroup}", query.Metric.Dimensions["TargetGroup"]);
        Assert.True(query.ReturnData);

        var alarms = spec.FindGate("alarms")!;
        Assert.Equal("alarm", alarms.SourceKind);
        Assert.Equal(["shop-5xx", "shop-latency"], alarms.SourceAs<AlarmGateOptions>()!.Names);
    }

    [Fact]
    public void An_aws_rolling_spec_needs_no_target_groups_and_reads_metric_math()
    {
        var spec = ReadValid(AwsRolling);

        Assert.Empty(spec.Platform.OptionsAs<AwsAlbPlatformOptions>().TargetGroupArns);
        Assert.Null(spec.Platform.OptionsAs<AwsAlbPlatformOptions>().Credentials);
        var queries = spec.FindGate("rate")!.SourceAs<CloudWatchGateOptions>()!.Queries;
        Assert.Equal(["errors", "requests", "ratio"], queries.Select(q => q.Id));
        Assert.Equal("errors / requests", queries[2].Expression);
        Assert.False(queries[0].ReturnData);
        Assert.Equal(CloudWatchDefaults.Period, spec.FindGate("rate")!.SourceAs<CloudWatchGateOptions>()!.Period);
        Assert.Equal("shop-", spec.FindGate("alarms")!.SourceAs<AlarmGateOptions>()!.NamePrefix);
    }

    [Fact]
    public void A_blue_green_spec_on_china_and_govcloud_partitions_reads()
    {
        var cn = AwsCanary.Replace("arn:aws:elasticloadbalancing:eu-west-1", "arn:aws-cn:elasticloadbalancing:cn-north-1", StringComparison.Ordinal)
            .Replace("arn:aws:iam", "arn:aws-cn:iam", StringComparison.Ordinal)
            .Replace("region: eu-west-1", "region: cn-north-1", StringComparison.Ordinal);

        Assert.Equal("cn-north-1", ReadValid(cn).Platform.OptionsAs<AwsAlbPlatformOptions>().Region);
    }

    /// <summary>One mistake per row: the yaml, then the path, line and a fragment of the error it must produce.</summary>
    public static TheoryData<string, string, int, string> Mistakes => new()
    {
        { With(AwsCanary, ("type: awsAlb", "type: awsalb")), "platform.type", 3, "did you mean 'awsAlb'?" },
        { With(AwsCanary, ("region: eu-west-1", "region: Ireland")), "platform.awsAlb.region", 5, "is not an AWS region name" },
        { With(AwsCanary, ("region: eu-west-1", "region: us-east-1")), "platform.awsAlb.listenerArn", 7, "the ARN is in region eu-west-1, but region is us-east-1" },
        { With(AwsCanary, ("listenerArn: " + Listener, "listenerArn: " + Blue)), "platform.awsAlb.listenerArn", 7, "this is a target group ARN, not a listener ARN" },
        { With(AwsCanary, ("listenerArn: " + Listener, "listenerArn: " + Listener.Replace("/app/", "/net/", StringComparison.Ordinal))), "platform.awsAlb.listenerArn", 7, "Network Load Balancer" },
        { With(AwsCanary, ("listenerArn: " + Listener, "listenerArn: shop-listener")), "platform.awsAlb.listenerArn", 7, "is not an Elastic Load Balancing listener ARN" },
        { With(AwsCanary, ("ruleArn: " + Rule, "ruleArn: " + Rule.Replace("f2f7dc8efc522ab2", "0000000000000000", StringComparison.Ordinal))), "platform.awsAlb.ruleArn", 8, "belongs to another listener" },
        { With(AwsCanary, ($"[{Blue}, {Green}]", $"[{Blue}]")), "platform.awsAlb.targetGroupArns", 9, "exactly 2 target groups, but 1 are listed" },
        { With(AwsCanary, ($"[{Blue}, {Green}]", $"[{Blue}, {Blue}]")), "platform.awsAlb.targetGroupArns[1]", 9, "listed twice" },
        { With(AwsCanary, ($"targetGroupArns: [{Blue}, {Green}]", "previewRuleArn: " + Rule.Replace("9683b2d02a6cabee", "1111111111111111", StringComparison.Ordinal))), "platform.awsAlb.targetGroupArns", 5, "required field targetGroupArns is missing" },
        { With(AwsCanary, ("previewUrl: https://preview.example.com", "previewUrl: preview.example.com")), "platform.awsAlb.previewUrl", 10, "not an absolute http or https URL" },
        { With(AwsCanary, ("githubOidc: true", "githubOidc: yes")), "platform.awsAlb.credentials.githubOidc", 11, "expected true or false" },
        { With(AwsCanary, ("roleArn: \"arn:aws:iam::123456789012:role/zdp-deploy\", ", "")), "platform.awsAlb.credentials.roleArn", 11, "required field roleArn is missing" },
        { With(AwsCanary, ("githubOidc: true", "githubOidc: false")), "platform.awsAlb.credentials.roleArn", 11, "nothing provides a web identity token" },
        { With(AwsCanary, ("roleSessionName: zdp-ci", "roleSessionName: zdp ci")), "platform.awsAlb.credentials.roleSessionName", 11, "not a valid role session name" },
        { With(AwsCanary, ("endpointUrl: http://127.0.0.1:5000", "endpointUrl: 127.0.0.1:5000")), "platform.awsAlb.endpointUrl", 6, "not an absolute http or https URL" },
        { With(AwsCanary, ("previewUrl:", "previewUlr:")), "platform.awsAlb.previewUlr", 10, "did you mean 'previewUrl'?" },
        { With(AwsCanary, ("preset: targetGroup5xxRate", "preset: targetgroup5xxrate")), "gates[0].cloudWatch.preset", 17, "did you mean 'targetGroup5xxRate'?" },
        { With(AwsCanary, ("period: 1m", "period: 90s")), "gates[0].cloudWatch.period", 17, "not a multiple of 60s" },
        { With(AwsCanary, ("window: 5m", "window: 30s")), "gates[0].cloudWatch.window", 17, "shorter than period" },
        { With(AwsCanary, ("condition: \"< 0.01\"", "condition: \"< 1.5\"")), "gates[0].condition", 18, "targetGroup5xxRate is a ratio from 0 to 1" },
        { With(AwsCanary, ("- id: latency", "- id: Latency")), "gates[1].cloudWatch.queries[0].id", 22, "not a valid query id" },
        { With(AwsCanary, ("\"{targetGroup}\"", "\"{targetgroup}\"")), "gates[1].cloudWatch.queries[0].metric.dimensions.TargetGroup", 23, "did you mean {targetGroup}?" },
        { With(AwsCanary, ("stat: p99, ", "")), "gates[1].cloudWatch.queries[0].metric.stat", 23, "required field stat is missing" },
        { With(AwsCanary, ("names: [shop-5xx, shop-latency]", "names: [shop-5xx], namePrefix: shop-")), "gates[2].alarm.namePrefix", 26, "both names and namePrefix" },
        { With(AwsCanary, ("alarm: { names: [shop-5xx, shop-latency] }", "alarm: {}")), "gates[2].alarm", 26, "alarm needs names or namePrefix" },
        { With(AwsRolling, ("listenerArn: " + Listener, $"listenerArn: {Listener}\n    targetGroupArns: [{Blue}, {Green}]")), "platform.awsAlb.targetGroupArns", 7, "so targetGroupArns is not used" },
        { With(AwsRolling, ("- { id: ratio, expression: \"errors / requests\" }", "- { id: ratio, expression: \"errors / requests\", returnData: false }")), "gates[0].cloudWatch.queries", 13, "0 queries return data" },
        { With(AwsRolling, ("id: requests", "id: errors")), "gates[0].cloudWatch.queries[1].id", 14, "already used on line 13" },
        { With(AwsRolling, ("- { id: ratio, expression: \"errors / requests\" }", "- { id: ratio }")), "gates[0].cloudWatch.queries[2]", 15, "needs a metric or an expression" },
        { With(Canary, ("metrics: { metric: errorRate, side: candidate, window: 30s }", "cloudWatch: { preset: requestCount }")), "gates[0].cloudWatch", 19, "needs an AWS platform" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void An_aws_mistake_is_rejected_at_its_path_and_line(string yaml, string path, int line, string fragment)
    {
        var result = SpecReader.Read(yaml, "zdp.yml", TestModules.Catalog);

        Assert.False(result.IsValid);
        Assert.True(result.Errors.Any(e => e.Path == path && e.Line == line && e.ToString().Contains(fragment, StringComparison.Ordinal)),
            string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void Every_aws_mistake_is_a_single_error_when_alone()
    {
        var cascades = Mistakes
            .Select(row => (Path: (string)row[1], Errors: SpecReader.Read((string)row[0], "zdp.yml", TestModules.Catalog).Errors))
            .Where(r => r.Errors.Count != 1)
            .Select(r => $"{r.Path}: {string.Join(" | ", r.Errors)}")
            .ToList();

        Assert.Empty(cascades);
    }
}
