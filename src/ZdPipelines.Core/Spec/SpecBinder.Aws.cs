using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec;

/// <summary>The awsAlb platform block and the cloudWatch and alarm gate sources.</summary>
internal sealed partial class SpecBinder
{
    private const string AwsAlbExample = "awsAlb: { region: eu-west-1, listenerArn: " + ListenerArnExample + ", targetGroupArns: [<blue ARN>, <green ARN>] }";
    private const string ListenerArnExample = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
    private const string RuleArnExample = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    private const string TargetGroupArnExample = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-blue/73e2d6bc24d8a067";
    private const string RoleArnExample = "arn:aws:iam::123456789012:role/zdp-deploy";
    private const string QueriesExample = "queries: [ { id: errors, metric: { namespace: AWS/ApplicationELB, name: HTTPCode_Target_5XX_Count, stat: Sum, dimensions: { TargetGroup: \"{targetGroup}\" } } } ]";

    /// <summary>The placeholders a dimension value may use; the gate source fills them from the ARNs.</summary>
    internal static readonly IReadOnlyList<string> DimensionPlaceholders = ["{loadBalancer}", "{targetGroup}", "{stableTargetGroup}", "{candidateTargetGroup}"];

    private SpecMapping? _awsAlb;

    // cloudWatch and alarm gates, checked against the platform once it is known: they need AWS to read from.
    private readonly List<(string Gate, YamlNode Node, string Path)> _awsGates = [];

    [GeneratedRegex(@"^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):([0-9]{12}|):(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Arn();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Region();

    [GeneratedRegex(@"^listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex ListenerResource();

    [GeneratedRegex(@"^listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleResource();

    [GeneratedRegex(@"^targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex TargetGroupResource();

    [GeneratedRegex(@"^role/[\w+=,.@/-]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleResource();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionName();

    // GetMetricData: "The first character must be a lowercase letter" (MetricDataQuery.Id).
    [GeneratedRegex(@"^[a-z][a-zA-Z0-9_]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex QueryId();

    private enum ElbResource
    {
        Listener,
        Rule,
        TargetGroup,
    }

    private sealed record ParsedArn(string Partition, string Service, string Region, string Account, string Resource);

    private AwsAlbPlatformSpec ReadAwsAlb(SpecMapping alb)
    {
        var region = alb.Text("region", "add the load balancer's region, e.g. region: eu-west-1.", required: true);
        if (region is not null && !Region().IsMatch(region))
        {
            errors.Add(alb.Get("region")!, alb.PathOf("region"), $"'{region}' is not an AWS region name.", "write a region such as eu-west-1 or us-east-1.");
            region = null;
        }

        var endpoint = alb.Text("endpointUrl", "write an absolute http(s) URL, e.g. endpointUrl: http://127.0.0.1:5000.");
        if (endpoint is not null && !IsHttpUrl(endpoint))
        {
            errors.Add(alb.Get("endpointUrl")!, alb.PathOf("endpointUrl"), $"'{endpoint}' is not an absolute http or https URL.",
                "write the endpoint with its scheme, e.g. endpointUrl: http://127.0.0.1:5000, or remove it to use AWS's regional endpoints.");
        }

        var listener = ReadElbArn(alb, "listenerArn", ElbResource.Listener, region, required: true);

        // The other ARNs are held to the listener's region: when region itself is wrong, that is one error, not one per ARN.
        if ((alb.Get("listenerArn") as YamlScalarNode)?.Value is { } listenerText && Arn().Match(listenerText) is { Success: true } parsed)
        {
            region = parsed.Groups[3].Value;
        }
        var rule = ReadElbArn(alb, "ruleArn", ElbResource.Rule, region);
        if (rule is not null && listener is not null && !SameListener(rule, listener))
        {
            errors.Add(alb.Get("ruleArn")!, alb.PathOf("ruleArn"), "the rule belongs to another listener than listenerArn.",
                "use a rule of the listener in listenerArn, or set listenerArn to the rule's listener (the rule ARN with listener-rule/ read as listener/ and its last part removed).");
        }

        var targetGroups = new List<string>();
        var list = alb.List("targetGroupArns", "[<blue target group ARN>, <green target group ARN>]");
        for (var i = 0; list is not null && i < list.Children.Count; i++)
        {
            var path = $"{alb.PathOf("targetGroupArns")}[{i}]";
            var text = SpecValues.Text(errors, list.Children[i], path, $"write a target group ARN, e.g. {TargetGroupArnExample}.");
            if (text is null || CheckElbArn(list.Children[i], path, text, ElbResource.TargetGroup, region) is null)
            {
                continue;
            }

            if (targetGroups.Contains(text, StringComparer.Ordinal))
            {
                errors.Add(list.Children[i], path, "the same target group is listed twice.", "list the two different target groups traffic moves between: the one serving today and the other.");
                continue;
            }

            targetGroups.Add(text);
        }

        var previewListener = ReadElbArn(alb, "previewListenerArn", ElbResource.Listener, region);
        if (previewListener is not null && previewListener == listener)
        {
            errors.Add(alb.Get("previewListenerArn")!, alb.PathOf("previewListenerArn"), "previewListenerArn is the production listener itself.",
                "use a separate test listener (e.g. port 8443) that only testers reach, or remove previewListenerArn.");
        }

        var previewRule = ReadElbArn(alb, "previewRuleArn", ElbResource.Rule, region);
        if (previewRule is not null && previewRule == rule)
        {
            errors.Add(alb.Get("previewRuleArn")!, alb.PathOf("previewRuleArn"), "previewRuleArn is the rule being deployed (ruleArn).",
                "use a separate rule, e.g. one with an http-header condition X-Zdp-Preview: 1, or remove previewRuleArn.");
        }
        else if (previewRule is not null && previewListener is not null)
        {
            errors.Add(alb.KeyNode("previewRuleArn")!, alb.PathOf("previewRuleArn"), "both previewListenerArn and previewRuleArn are set; the preview is one path.",
                "keep one of them: a test listener, or a header-conditioned rule.");
        }

        var previewUrl = alb.Text("previewUrl", "write an absolute http(s) URL, e.g. previewUrl: https://shop.example.com:8443.");
        if (previewUrl is not null && !IsHttpUrl(previewUrl))
        {
            errors.Add(alb.Get("previewUrl")!, alb.PathOf("previewUrl"), $"'{previewUrl}' is not an absolute http or https URL.",
                "write where testers reach the preview listener or rule, e.g. previewUrl: https://shop.example.com:8443.");
        }

        var credentials = alb.Mapping("credentials", SpecKeys.AwsCredentials, $"credentials: {{ roleArn: {RoleArnExample}, githubOidc: true }}");
        return new AwsAlbPlatformSpec
        {
            Region = region ?? "",
            EndpointUrl = endpoint,
            ListenerArn = listener ?? "",
            RuleArn = rule,
            TargetGroupArns = targetGroups,
            PreviewListenerArn = previewListener,
            PreviewRuleArn = previewRule,
            PreviewUrl = previewUrl,
            Credentials = credentials is null ? null : ReadAwsCredentials(credentials),
        };
    }

    private AwsCredentialsSpec ReadAwsCredentials(SpecMapping credentials)
    {
        var roleArn = credentials.Text("roleArn", $"write the ARN of the role to assume, e.g. roleArn: {RoleArnExample}.");
        if (roleArn is not null && (Arn().Match(roleArn) is not { Success: true } m || m.Groups[2].Value != "iam" || !RoleResource().IsMatch(m.Groups[5].Value)))
        {
            errors.Add(credentials.Get("roleArn")!, credentials.PathOf("roleArn"), $"'{roleArn}' is not an IAM role ARN.",
                $"write arn:aws:iam::ACCOUNT:role/NAME, e.g. roleArn: {RoleArnExample}.");
        }

        var tokenFile = credentials.Text("webIdentityTokenFile", "write the absolute path of the token file, e.g. webIdentityTokenFile: /var/run/secrets/token.");
        if (tokenFile is not null && !Path.IsPathFullyQualified(tokenFile))
        {
            errors.Add(credentials.Get("webIdentityTokenFile")!, credentials.PathOf("webIdentityTokenFile"), $"'{tokenFile}' is not an absolute path.",
                "write the full path of the token file; a relative one would depend on the directory zdp runs in.");
        }

        var sessionName = credentials.Text("roleSessionName", "write 2 to 64 letters, digits or +=,.@_-, e.g. roleSessionName: zdp-deploy.");
        if (sessionName is not null && !SessionName().IsMatch(sessionName))
        {
            errors.Add(credentials.Get("roleSessionName")!, credentials.PathOf("roleSessionName"), $"'{sessionName}' is not a valid role session name.",
                "write 2 to 64 letters, digits or +=,.@_- (no spaces), e.g. roleSessionName: zdp-deploy.");
        }

        var githubValue = credentials.Bool("githubOidc");
        var github = githubValue ?? false;
        if (credentials.Has("githubOidc") && githubValue is null)
        {
            // Already reported; which token source was meant is unknown, so the combinations are not judged.
        }
        else if (github && tokenFile is not null)
        {
            errors.Add(credentials.KeyNode("githubOidc")!, credentials.PathOf("githubOidc"), "githubOidc and webIdentityTokenFile are both set; the token comes from one of them.",
                "keep githubOidc: true in GitHub Actions, or webIdentityTokenFile elsewhere.");
        }
        else if ((github || tokenFile is not null) && !credentials.Has("roleArn"))
        {
            credentials.ReportMissing("roleArn", $"add the role the web identity token is exchanged for, e.g. roleArn: {RoleArnExample}.");
        }
        else if (roleArn is not null && !github && tokenFile is null)
        {
            errors.Add(credentials.Get("roleArn")!, credentials.PathOf("roleArn"), "roleArn is set but nothing provides a web identity token to assume it with.",
                "add githubOidc: true (GitHub Actions) or webIdentityTokenFile: /path/to/token; without credentials: zdp uses the default AWS credential chain.");
        }

        return new AwsCredentialsSpec { RoleArn = roleArn, WebIdentityTokenFile = tokenFile, RoleSessionName = sessionName, GithubOidc = github };
    }

    private string? ReadElbArn(SpecMapping alb, string key, ElbResource kind, string? region, bool required = false)
    {
        var example = kind switch
        {
            ElbResource.Listener => ListenerArnExample,
            ElbResource.Rule => RuleArnExample,
            _ => TargetGroupArnExample,
        };
        var text = alb.Text(key, $"write the {Describe(kind)} ARN, e.g. {key}: {example}.", required);
        return text is null ? null : CheckElbArn(alb.Get(key)!, alb.PathOf(key), text, kind, region) is null ? null : text;
    }

    /// <summary>Checks the ARN's shape, kind and region; returns it parsed, or null after reporting.</summary>
    private ParsedArn? CheckElbArn(YamlNode node, string path, string text, ElbResource kind, string? region)
    {
        var what = Describe(kind);
        var example = kind switch
        {
            ElbResource.Listener => ListenerArnExample,
            ElbResource.Rule => RuleArnExample,
            _ => TargetGroupArnExample,
        };
        var where = kind == ElbResource.TargetGroup ? "aws elbv2 describe-target-groups" : kind == ElbResource.Rule ? "aws elbv2 describe-rules" : "aws elbv2 describe-listeners";
        if (Arn().Match(text) is not { Success: true } m || m.Groups[2].Value != "elasticloadbalancing" || m.Groups[4].Value.Length == 0)
        {
            errors.Add(node, path, $"'{text}' is not an Elastic Load Balancing {what} ARN.", $"copy the ARN from `{where}`, e.g. {example}.");
            return null;
        }

        var arn = new ParsedArn(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value);
        var actual = ListenerResource().IsMatch(arn.Resource) ? ElbResource.Listener
            : RuleResource().IsMatch(arn.Resource) ? ElbResource.Rule
            : TargetGroupResource().IsMatch(arn.Resource) ? ElbResource.TargetGroup
            : (ElbResource?)null;
        if (actual != kind)
        {
            var isNetwork = arn.Resource.StartsWith("listener/net/", StringComparison.Ordinal) || arn.Resource.StartsWith("listener-rule/net/", StringComparison.Ordinal);
            errors.Add(node, path,
                actual is { } other ? $"this is a {Describe(other)} ARN, not a {what} ARN."
                : isNetwork ? $"this is a Network Load Balancer {what}; zdp deploys on Application Load Balancers (…:{(kind == ElbResource.Rule ? "listener-rule" : "listener")}/app/…)."
                : $"'{arn.Resource}' is not the resource part of a {what} ARN.",
                $"copy the {what} ARN from `{where}`, e.g. {example}.");
            return null;
        }

        if (region is not null && arn.Region != region)
        {
            errors.Add(node, path, $"the ARN is in region {arn.Region}, but region is {region}.",
                $"set region: {arn.Region}, or use the ARN of a {what} in {region}.");
            return null;
        }

        return arn;
    }

    private static bool SameListener(string ruleArn, string listenerArn)
    {
        var rule = ruleArn.Replace(":listener-rule/", ":listener/", StringComparison.Ordinal);
        return rule.StartsWith(listenerArn + "/", StringComparison.Ordinal);
    }

    private static string Describe(ElbResource kind) => kind switch
    {
        ElbResource.Listener => "listener",
        ElbResource.Rule => "listener rule",
        _ => "target group",
    };

    /// <summary>Blue-green and canary move traffic between exactly two target groups; rolling stays inside the listener's one.</summary>
    private void CheckAwsAlbServesStrategy(PlatformSpec platform, StrategySpec strategy)
    {
        if (platform.Type != PlatformTypes.AwsAlb || platform.AwsAlb is not { } alb || _awsAlb is null)
        {
            return;
        }

        if (strategy.Rolling is not null)
        {
            foreach (var key in new[] { "targetGroupArns", "previewListenerArn", "previewRuleArn" })
            {
                if (_awsAlb.KeyNode(key) is { } unused && _awsAlb.Has(key))
                {
                    errors.Add(unused, _awsAlb.PathOf(key), $"the rolling strategy works inside the one target group the listener forwards to, so {key} is not used.",
                        $"remove {key}; zdp reads the target group from the listener's (or rule's) forward action.");
                }
            }

            return;
        }

        var kind = strategy.Kind;
        var listNode = _awsAlb.Get("targetGroupArns");
        if (listNode is not null and not YamlSequenceNode)
        {
            return;
        }

        if (listNode is not YamlSequenceNode list)
        {
            _awsAlb.ReportMissing("targetGroupArns",
                $"the {kind} strategy moves traffic between two target groups: add targetGroupArns: [<the group serving today>, <the group of the new version>], e.g. [{TargetGroupArnExample}, …].");
        }
        else if (list.Children.Count != 2)
        {
            errors.Add(list, _awsAlb.PathOf("targetGroupArns"), $"the {kind} strategy moves traffic between exactly 2 target groups, but {list.Children.Count} are listed.",
                "list two target groups: the one serving today and the one running the new version.");
        }
        else if (alb.TargetGroupArns.Count == 2)
        {
            var listenerAccount = Arn().Match(alb.ListenerArn).Groups[4].Value;
            for (var i = 0; i < 2; i++)
            {
                if (listenerAccount.Length > 0 && Arn().Match(alb.TargetGroupArns[i]).Groups[4].Value != listenerAccount)
                {
                    errors.Add(list.Children[i], $"{_awsAlb.PathOf("targetGroupArns")}[{i}]", "the target group is in another account than the listener.",
                        "a listener forwards only to target groups of its own account: use target groups of the listener's account.");
                }
            }
        }
    }

    /// <summary>cloudWatch and alarm gates read from the AWS account of an awsAlb platform.</summary>
    private void CheckAwsGatesHaveAwsPlatform(PlatformSpec platform)
    {
        if (platform.Type == PlatformTypes.AwsAlb || platform.Type.Length == 0)
        {
            return;
        }

        foreach (var (gate, node, path) in _awsGates)
        {
            errors.Add(node, path, $"gate '{gate}' reads CloudWatch, which needs an AWS platform, but platform.type is {platform.Type}.",
                "use platform.type: awsAlb, or measure with a metrics, http or command gate.");
        }
    }

    private CloudWatchGateSource? ReadCloudWatchSource(SpecMapping gate)
    {
        var cw = gate.RequiredMapping("cloudWatch", SpecKeys.GateCloudWatch, "cloudWatch: { preset: targetGroup5xxRate, side: candidate }",
            "add cloudWatch: { preset: targetGroup5xxRate } or cloudWatch: { " + QueriesExample + " }.");
        if (cw is null)
        {
            return null;
        }

        var defaults = new CloudWatchGateSource();
        var hasPreset = cw.KeyNode("preset") is not null;
        var hasQueries = cw.KeyNode("queries") is not null;
        if (hasPreset == hasQueries && !cw.HasUnknownKeys)
        {
            errors.Add(hasPreset ? cw.KeyNode("queries")! : cw.Node, cw.Path,
                hasPreset ? "cloudWatch has both preset and queries; it measures one of them." : "cloudWatch needs a preset or queries.",
                hasPreset ? "keep preset for a ready-made ALB metric, or queries for your own." : $"add preset: targetGroup5xxRate (or targetResponseTimeP99, requestCount), or {QueriesExample}.");
        }

        if (!hasPreset && cw.KeyNode("side") is { } side)
        {
            errors.Add(side, cw.PathOf("side"), "side chooses the target group of a preset, but this gate has no preset.",
                "remove side, and write the target group into the dimensions with {targetGroup}, {stableTargetGroup} or {candidateTargetGroup}.");
        }

        var period = cw.Duration("period");
        if (period is { } p && (p.TotalSeconds % 60 != 0))
        {
            errors.Add(cw.Get("period")!, cw.PathOf("period"), $"period {Plans.Durations.Format(p)} is not a multiple of 60s.",
                $"use 1m, 5m, …: ALB publishes its metrics once a minute, e.g. period: {Plans.Durations.Format(TimeSpan.FromMinutes(Math.Max(1, Math.Round(p.TotalMinutes))))}.");
            period = null;
        }

        var window = cw.Duration("window");
        var effectivePeriod = period ?? defaults.Period;
        if (window is { } w && w < effectivePeriod)
        {
            errors.Add(cw.Get("window")!, cw.PathOf("window"), $"window {Plans.Durations.Format(w)} is shorter than period ({Plans.Durations.Format(effectivePeriod)}), so it holds no data point.",
                $"use a window of at least {Plans.Durations.Format(effectivePeriod)}, e.g. window: {Plans.Durations.Format(effectivePeriod * 5)}.");
            window = null;
        }

        return defaults with
        {
            Preset = cw.Enum("preset", SpecKeys.AlbMetricPresets),
            Side = cw.Enum("side", SpecKeys.Sides) ?? defaults.Side,
            Queries = hasQueries ? ReadQueries(cw) : [],
            Period = effectivePeriod,
            Window = window ?? defaults.Window,
        };
    }

    private List<CloudWatchQuerySpec> ReadQueries(SpecMapping cw)
    {
        var queries = new List<CloudWatchQuerySpec>();
        var list = cw.RequiredList("queries", "[ { id: rate, expression: \"errors / requests\" } ]", $"add {QueriesExample}.");
        if (list is null)
        {
            return queries;
        }

        if (list.Children.Count == 0)
        {
            errors.Add(list, cw.PathOf("queries"), "queries is empty.", $"list at least one query, e.g. {QueriesExample}.");
            return queries;
        }

        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{cw.PathOf("queries")}[{i}]";
            var query = SpecMapping.AsMapping(list.Children[i], path, SpecKeys.GateCloudWatchQuery, errors, "{ id: errors, metric: { namespace: AWS/ApplicationELB, name: RequestCount, stat: Sum } }");
            if (query is null)
            {
                continue;
            }

            var id = query.Text("id", "give the query an id, e.g. id: errors (a lowercase letter, then letters, digits and _).", required: true);
            if (id is not null && !QueryId().IsMatch(id))
            {
                errors.Add(query.Get("id")!, query.PathOf("id"), $"'{id}' is not a valid query id.",
                    "start with a lowercase letter and use only letters, digits and _, as CloudWatch requires, e.g. id: errors5xx.");
                id = null;
            }
            else if (id is not null && ids.TryGetValue(id, out var line))
            {
                errors.Add(query.Get("id")!, query.PathOf("id"), $"query id '{id}' is already used on line {line}.", "give each query an id of its own.");
            }
            else if (id is not null)
            {
                ids[id] = query.Get("id")!.Start.Line;
            }

            var hasMetric = query.KeyNode("metric") is not null;
            var hasExpression = query.KeyNode("expression") is not null;
            if (hasMetric == hasExpression && !query.HasUnknownKeys)
            {
                errors.Add(hasMetric ? query.KeyNode("expression")! : query.Node, path,
                    hasMetric ? "the query has both metric and expression." : "the query needs a metric or an expression.",
                    hasMetric ? "split it into two queries: one with the metric, one with the expression that uses its id." : "add metric: { namespace, name, stat } or expression: \"100 * errors / requests\".");
            }

            var metric = hasMetric ? ReadMetric(query) : null;
            var expression = hasExpression ? query.Text("expression", "write a metric-math expression in quotes, e.g. expression: \"errors / requests\".", required: true) : null;
            queries.Add(new CloudWatchQuerySpec { Id = id ?? "", Metric = metric, Expression = expression, ReturnData = query.Bool("returnData") ?? true });
        }

        var returning = queries.Count(q => q.ReturnData);
        if (queries.Count == list.Children.Count && returning != 1)
        {
            errors.Add(list, cw.PathOf("queries"), $"{returning} queries return data; the gate's value comes from exactly one.",
                returning == 0 ? "remove returnData: false from the query whose value the condition judges." : "set returnData: false on every query but the one whose value the condition judges.");
        }

        return queries;
    }

    private CloudWatchMetricSpec? ReadMetric(SpecMapping query)
    {
        var metric = query.RequiredMapping("metric", SpecKeys.GateCloudWatchMetric, "metric: { namespace: AWS/ApplicationELB, name: RequestCount, stat: Sum }",
            "add metric: { namespace: AWS/ApplicationELB, name: RequestCount, stat: Sum }.");
        if (metric is null)
        {
            return null;
        }

        var ns = metric.Text("namespace", "add the metric's namespace, e.g. namespace: AWS/ApplicationELB.", required: true);
        var name = metric.Text("name", "add the metric's name, e.g. name: HTTPCode_Target_5XX_Count.", required: true);
        var stat = metric.Text("stat", "add a statistic: Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99.", required: true);
        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metric.Get("dimensions") is { } node)
        {
            if (node is not YamlMappingNode map)
            {
                errors.Add(node, metric.PathOf("dimensions"), $"expected a mapping of dimension names to values, got {SpecValues.Describe(node)}.",
                    "write e.g. dimensions: { LoadBalancer: \"{loadBalancer}\", TargetGroup: \"{targetGroup}\" }.");
            }
            else
            {
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    var key = (keyNode as YamlScalarNode)?.Value ?? "";
                    var path = $"{metric.PathOf("dimensions")}.{key}";
                    var value = SpecValues.Text(errors, valueNode, path, "write the dimension's value, e.g. \"{targetGroup}\".");
                    if (value is not null && CheckDimension(valueNode, path, value))
                    {
                        dimensions[key] = value;
                    }
                }
            }
        }

        return new CloudWatchMetricSpec { Namespace = ns ?? "", Name = name ?? "", Stat = stat ?? "", Dimensions = dimensions };
    }

    private bool CheckDimension(YamlNode node, string path, string value)
    {
        foreach (Match placeholder in Placeholder().Matches(value))
        {
            if (DimensionPlaceholders.Contains(placeholder.Value, StringComparer.Ordinal))
            {
                continue;
            }

            var close = DidYouMean.Closest(placeholder.Value, DimensionPlaceholders);
            errors.Add(node, path,
                close is null ? $"unknown placeholder {placeholder.Value}." : $"unknown placeholder {placeholder.Value}; did you mean {close}?",
                close is null ? $"use {SpecValues.OneOf(DimensionPlaceholders)}, or write the value itself." : $"write {close}.");
            return false;
        }

        return true;
    }

    private AlarmGateSource? ReadAlarmSource(SpecMapping gate)
    {
        var alarm = gate.RequiredMapping("alarm", SpecKeys.GateAlarm, "alarm: { names: [shop-5xx] }", "add alarm: { names: [shop-5xx] } or alarm: { namePrefix: shop- }.");
        if (alarm is null)
        {
            return null;
        }

        var names = new List<string>();
        var list = alarm.List("names", "[shop-5xx, shop-latency]");
        for (var i = 0; list is not null && i < list.Children.Count; i++)
        {
            var name = SpecValues.Text(errors, list.Children[i], $"{alarm.PathOf("names")}[{i}]", "write an alarm name, e.g. shop-5xx.");
            if (name is not null)
            {
                names.Add(name);
            }
        }

        var prefix = alarm.Text("namePrefix", "write the start of the alarm names, e.g. namePrefix: shop-.");
        if (list is not null && list.Children.Count == 0)
        {
            errors.Add(list, alarm.PathOf("names"), "names is empty.", "list the alarms to watch, e.g. names: [shop-5xx].");
        }
        else if (list is not null && prefix is not null)
        {
            errors.Add(alarm.KeyNode("namePrefix")!, alarm.PathOf("namePrefix"), "alarm has both names and namePrefix.", "keep names for a fixed set of alarms, or namePrefix for all alarms whose name starts with it.");
        }
        else if (list is null && prefix is null && !alarm.HasUnknownKeys)
        {
            errors.Add(alarm.Node, alarm.Path, "alarm needs names or namePrefix.", "add names: [shop-5xx] or namePrefix: shop-.");
        }
        else if (prefix is { Length: 0 })
        {
            errors.Add(alarm.Get("namePrefix")!, alarm.PathOf("namePrefix"), "namePrefix is empty, which would match every alarm of the account.", "write the start of the alarm names, e.g. namePrefix: shop-.");
        }

        return new AlarmGateSource { Names = names, NamePrefix = prefix };
    }
}
