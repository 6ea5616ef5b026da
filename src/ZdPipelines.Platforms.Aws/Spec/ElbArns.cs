using System.Text.RegularExpressions;

namespace ZdPipelines.Platforms.Aws.Spec;

/// <summary>The ARN shapes the awsAlb block accepts, checked before any call so a typo is a spec error, not an AWS one.</summary>
internal static partial class ElbArns
{
    public const string Listener = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
    public const string Rule = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    public const string TargetGroup = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-blue/73e2d6bc24d8a067";
    public const string Role = "arn:aws:iam::123456789012:role/zdp-deploy";

    [GeneratedRegex(@"^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):([0-9]{12}|):(.+)$", RegexOptions.CultureInvariant)]
    public static partial Regex Arn();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    public static partial Regex Region();

    [GeneratedRegex(@"^listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    public static partial Regex ListenerResource();

    [GeneratedRegex(@"^listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    public static partial Regex RuleResource();

    [GeneratedRegex(@"^targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    public static partial Regex TargetGroupResource();

    [GeneratedRegex(@"^role/[\w+=,.@/-]{1,512}$", RegexOptions.CultureInvariant)]
    public static partial Regex RoleResource();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant)]
    public static partial Regex SessionName();

    public static string Example(ElbResource kind) => kind switch
    {
        ElbResource.Listener => Listener,
        ElbResource.Rule => Rule,
        _ => TargetGroup,
    };

    public static string Describe(ElbResource kind) => kind switch
    {
        ElbResource.Listener => "listener",
        ElbResource.Rule => "listener rule",
        _ => "target group",
    };

    /// <summary>The rule belongs to the listener: its ARN is the listener's with listener-rule/ for listener/ and one more part.</summary>
    public static bool SameListener(string ruleArn, string listenerArn)
    {
        var rule = ruleArn.Replace(":listener-rule/", ":listener/", StringComparison.Ordinal);
        return rule.StartsWith(listenerArn + "/", StringComparison.Ordinal);
    }
}

internal enum ElbResource
{
    Listener,
    Rule,
    TargetGroup,
}

internal sealed record ParsedArn(string Partition, string Service, string Region, string Account, string Resource);
