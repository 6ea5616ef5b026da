using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Validation;

namespace ZdPipelines.Platforms.Aws.Spec;

/// <summary>The awsAlb block's rules: ARN shapes, kinds and regions, the preview path, credentials, and the fit to the strategy.</summary>
internal sealed class AwsAlbRules(AwsAlbPlatformOptions alb, DeploymentSpec spec, SpecProblems problems)
{
    private const string Path = "platform.awsAlb";

    public void Check()
    {
        var region = CheckRegion();
        if (!problems.IsUnreadable($"{Path}.endpointUrl") && alb.EndpointUrl is { } endpoint && !SpecRules.IsHttpUrl(endpoint))
        {
            problems.Add($"{Path}.endpointUrl", $"'{endpoint}' is not an absolute http or https URL.",
                "write the endpoint with its scheme, e.g. endpointUrl: http://127.0.0.1:5000, or remove it to use AWS's regional endpoints.");
        }

        var listener = CheckArn("listenerArn", alb.ListenerArn, ElbResource.Listener, region, required: true);

        // The other ARNs are held to the listener's region: when region itself is wrong, that is one error, not one per ARN.
        if (ElbArns.Arn().Match(alb.ListenerArn) is { Success: true } parsed)
        {
            region = parsed.Groups[3].Value;
        }

        var rule = CheckArn("ruleArn", alb.RuleArn, ElbResource.Rule, region);
        if (rule is not null && listener is not null && !ElbArns.SameListener(alb.RuleArn!, alb.ListenerArn))
        {
            problems.Add($"{Path}.ruleArn", "the rule belongs to another listener than listenerArn.",
                "use a rule of the listener in listenerArn, or set listenerArn to the rule's listener (the rule ARN with listener-rule/ read as listener/ and its last part removed).");
        }

        var targetGroups = CheckTargetGroups(region);
        CheckPreview(region);
        CheckCredentials();
        CheckStrategy(listener, targetGroups);
    }

    private string? CheckRegion()
    {
        var path = $"{Path}.region";
        if (problems.IsUnreadable(path))
        {
            return null;
        }

        if (!ElbArns.Region().IsMatch(alb.Region))
        {
            problems.Add(path, $"'{alb.Region}' is not an AWS region name.", "write a region such as eu-west-1 or us-east-1.");
            return null;
        }

        return alb.Region;
    }

    /// <summary>The ARNs of targetGroupArns that are valid and distinct, by index.</summary>
    private Dictionary<int, ParsedArn> CheckTargetGroups(string? region)
    {
        var valid = new Dictionary<int, ParsedArn>();
        var path = $"{Path}.targetGroupArns";
        for (var i = 0; i < alb.TargetGroupArns.Count; i++)
        {
            var itemPath = SpecPaths.Item(path, i);
            var text = alb.TargetGroupArns[i];
            if (problems.IsUnreadable(itemPath) || CheckElbArn(itemPath, text, ElbResource.TargetGroup, region) is not { } arn)
            {
                continue;
            }

            if (alb.TargetGroupArns.Take(i).Contains(text, StringComparer.Ordinal))
            {
                problems.Add(itemPath, "the same target group is listed twice.", "list the two different target groups traffic moves between: the one serving today and the other.");
                continue;
            }

            valid[i] = arn;
        }

        return valid;
    }

    private void CheckPreview(string? region)
    {
        var previewListener = CheckArn("previewListenerArn", alb.PreviewListenerArn, ElbResource.Listener, region);
        if (previewListener is not null && alb.PreviewListenerArn == alb.ListenerArn)
        {
            problems.Add($"{Path}.previewListenerArn", "previewListenerArn is the production listener itself.",
                "use a separate test listener (e.g. port 8443) that only testers reach, or remove previewListenerArn.");
            previewListener = null;
        }

        var previewRule = CheckArn("previewRuleArn", alb.PreviewRuleArn, ElbResource.Rule, region);
        if (previewRule is not null && alb.PreviewRuleArn == alb.RuleArn)
        {
            problems.Add($"{Path}.previewRuleArn", "previewRuleArn is the rule being deployed (ruleArn).",
                "use a separate rule, e.g. one with an http-header condition X-Zdp-Preview: 1, or remove previewRuleArn.");
        }
        else if (previewRule is not null && previewListener is not null)
        {
            problems.AddAtKey($"{Path}.previewRuleArn", "both previewListenerArn and previewRuleArn are set; the preview is one path.",
                "keep one of them: a test listener, or a header-conditioned rule.");
        }

        var previewUrl = $"{Path}.previewUrl";
        if (!problems.IsUnreadable(previewUrl) && alb.PreviewUrl is { } url && !SpecRules.IsHttpUrl(url))
        {
            problems.Add(previewUrl, $"'{url}' is not an absolute http or https URL.",
                "write where testers reach the preview listener or rule, e.g. previewUrl: https://shop.example.com:8443.");
        }
    }

    private void CheckCredentials()
    {
        if (alb.Credentials is not { } credentials)
        {
            return;
        }

        var path = $"{Path}.credentials";
        var roleArn = $"{path}.roleArn";
        if (!problems.IsUnreadable(roleArn) && credentials.RoleArn is { } role
            && (ElbArns.Arn().Match(role) is not { Success: true } m || m.Groups[2].Value != "iam" || !ElbArns.RoleResource().IsMatch(m.Groups[5].Value)))
        {
            problems.Add(roleArn, $"'{role}' is not an IAM role ARN.", $"write arn:aws:iam::ACCOUNT:role/NAME, e.g. roleArn: {ElbArns.Role}.");
        }

        var tokenFile = $"{path}.webIdentityTokenFile";
        if (!problems.IsUnreadable(tokenFile) && credentials.WebIdentityTokenFile is { } file && !System.IO.Path.IsPathFullyQualified(file))
        {
            problems.Add(tokenFile, $"'{file}' is not an absolute path.", "write the full path of the token file; a relative one would depend on the directory zdp runs in.");
        }

        var sessionName = $"{path}.roleSessionName";
        if (!problems.IsUnreadable(sessionName) && credentials.RoleSessionName is { } session && !ElbArns.SessionName().IsMatch(session))
        {
            problems.Add(sessionName, $"'{session}' is not a valid role session name.", "write 2 to 64 letters, digits or +=,.@_- (no spaces), e.g. roleSessionName: zdp-deploy.");
        }

        var github = credentials.GithubOidc;
        if (problems.IsUnreadable($"{path}.githubOidc") || problems.IsUnreadable(roleArn) || problems.IsUnreadable(tokenFile))
        {
            // Which token source was meant is unknown, so the combinations are not judged.
            return;
        }

        if (github && credentials.WebIdentityTokenFile is not null)
        {
            problems.AddAtKey($"{path}.githubOidc", "githubOidc and webIdentityTokenFile are both set; the token comes from one of them.",
                "keep githubOidc: true in GitHub Actions, or webIdentityTokenFile elsewhere.");
        }
        else if ((github || credentials.WebIdentityTokenFile is not null) && credentials.RoleArn is null)
        {
            problems.AddMissing(roleArn, $"add the role the web identity token is exchanged for, e.g. roleArn: {ElbArns.Role}.");
        }
        else if (credentials.RoleArn is not null && !github && credentials.WebIdentityTokenFile is null)
        {
            problems.Add(roleArn, "roleArn is set but nothing provides a web identity token to assume it with.",
                "add githubOidc: true (GitHub Actions) or webIdentityTokenFile: /path/to/token; without credentials: zdp uses the default AWS credential chain.");
        }
    }

    /// <summary>Blue-green and canary move traffic between exactly two target groups; rolling stays inside the listener's one.</summary>
    private void CheckStrategy(ParsedArn? listener, Dictionary<int, ParsedArn> targetGroups)
    {
        var kind = spec.Strategy.Kind;
        if (kind.Length == 0)
        {
            return;
        }

        if (kind == StrategyKinds.Rolling)
        {
            foreach (var (key, used) in new[] { ("targetGroupArns", alb.TargetGroupArns.Count > 0), ("previewListenerArn", alb.PreviewListenerArn is not null), ("previewRuleArn", alb.PreviewRuleArn is not null) })
            {
                if (used)
                {
                    problems.AddAtKey($"{Path}.{key}", $"the rolling strategy works inside the one target group the listener forwards to, so {key} is not used.",
                        $"remove {key}; zdp reads the target group from the listener's (or rule's) forward action.");
                }
            }

            return;
        }

        var path = $"{Path}.targetGroupArns";
        if (problems.IsReported(path))
        {
            return;
        }

        if (alb.TargetGroupArns.Count == 0 && !problems.IsWritten(path))
        {
            problems.AddMissing(path,
                $"the {kind} strategy moves traffic between two target groups: add targetGroupArns: [<the group serving today>, <the group of the new version>], e.g. [{ElbArns.TargetGroup}, …].");
        }
        else if (alb.TargetGroupArns.Count != 2)
        {
            problems.Add(path, $"the {kind} strategy moves traffic between exactly 2 target groups, but {alb.TargetGroupArns.Count} are listed.",
                "list two target groups: the one serving today and the one running the new version.");
        }
        else if (targetGroups.Count == 2 && listener is { Account.Length: > 0 })
        {
            foreach (var (i, group) in targetGroups)
            {
                if (group.Account != listener.Account)
                {
                    problems.Add(SpecPaths.Item(path, i), "the target group is in another account than the listener.",
                        "a listener forwards only to target groups of its own account: use target groups of the listener's account.");
                }
            }
        }
    }

    private ParsedArn? CheckArn(string key, string? text, ElbResource kind, string? region, bool required = false)
    {
        var path = $"{Path}.{key}";
        if (text is null || problems.IsUnreadable(path))
        {
            return null;
        }

        if (required && text.Length == 0)
        {
            problems.AddMissing(path, $"write the {ElbArns.Describe(kind)} ARN, e.g. {key}: {ElbArns.Example(kind)}.");
            return null;
        }

        return CheckElbArn(path, text, kind, region);
    }

    /// <summary>Checks the ARN's shape, kind and region; returns it parsed, or null after reporting.</summary>
    private ParsedArn? CheckElbArn(string path, string text, ElbResource kind, string? region)
    {
        var what = ElbArns.Describe(kind);
        var example = ElbArns.Example(kind);
        var where = kind == ElbResource.TargetGroup ? "aws elbv2 describe-target-groups" : kind == ElbResource.Rule ? "aws elbv2 describe-rules" : "aws elbv2 describe-listeners";
        if (ElbArns.Arn().Match(text) is not { Success: true } m || m.Groups[2].Value != "elasticloadbalancing" || m.Groups[4].Value.Length == 0)
        {
            problems.Add(path, $"'{text}' is not an Elastic Load Balancing {what} ARN.", $"copy the ARN from `{where}`, e.g. {example}.");
            return null;
        }

        var arn = new ParsedArn(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value);
        var actual = ElbArns.ListenerResource().IsMatch(arn.Resource) ? ElbResource.Listener
            : ElbArns.RuleResource().IsMatch(arn.Resource) ? ElbResource.Rule
            : ElbArns.TargetGroupResource().IsMatch(arn.Resource) ? ElbResource.TargetGroup
            : (ElbResource?)null;
        if (actual != kind)
        {
            var isNetwork = arn.Resource.StartsWith("listener/net/", StringComparison.Ordinal) || arn.Resource.StartsWith("listener-rule/net/", StringComparison.Ordinal);
            problems.Add(path,
                actual is { } other ? $"this is a {ElbArns.Describe(other)} ARN, not a {what} ARN."
                : isNetwork ? $"this is a Network Load Balancer {what}; zdp deploys on Application Load Balancers (…:{(kind == ElbResource.Rule ? "listener-rule" : "listener")}/app/…)."
                : $"'{arn.Resource}' is not the resource part of a {what} ARN.",
                $"copy the {what} ARN from `{where}`, e.g. {example}.");
            return null;
        }

        if (region is not null && arn.Region != region)
        {
            problems.Add(path, $"the ARN is in region {arn.Region}, but region is {region}.", $"set region: {arn.Region}, or use the ARN of a {what} in {region}.");
            return null;
        }

        return arn;
    }
}
