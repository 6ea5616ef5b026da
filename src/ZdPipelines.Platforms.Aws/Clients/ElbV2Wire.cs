using System.Xml.Linq;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// ELBv2 shapes to and from the Query wire form: member names and order from elbv2/2015-12-01/service-2.json.
/// Readers ignore elements they do not know; Action and RuleCondition keep them in <c>AdditionalMembers</c>.
/// </summary>
internal static class ElbV2Wire
{
    // ---- writers ----

    public static void WriteAction(QueryParameters p, Action action)
    {
        p.Add("Type", action.Type)
            .Add("TargetGroupArn", action.TargetGroupArn)
            .AddStruct("AuthenticateOidcConfig", action.AuthenticateOidcConfig, WriteOidc)
            .AddStruct("AuthenticateCognitoConfig", action.AuthenticateCognitoConfig, (c, v) => c.AddFlattened(v))
            .Add("Order", action.Order)
            .AddStruct("RedirectConfig", action.RedirectConfig, (c, v) => c
                .Add("Protocol", v.Protocol)
                .Add("Port", v.Port)
                .Add("Host", v.Host)
                .Add("Path", v.Path)
                .Add("Query", v.Query)
                .Add("StatusCode", v.StatusCode))
            .AddStruct("FixedResponseConfig", action.FixedResponseConfig, (c, v) => c
                .Add("MessageBody", v.MessageBody)
                .Add("StatusCode", v.StatusCode)
                .Add("ContentType", v.ContentType))
            .AddStruct("ForwardConfig", action.ForwardConfig, (c, v) => c
                .AddList("TargetGroups", v.TargetGroups, (t, g) => t
                    .Add("TargetGroupArn", g.TargetGroupArn)
                    .Add("Weight", g.Weight))
                .AddStruct("TargetGroupStickinessConfig", v.TargetGroupStickinessConfig, (s, st) => s
                    .Add("Enabled", st.Enabled)
                    .Add("DurationSeconds", st.DurationSeconds)))
            .AddFlattened(action.AdditionalMembers);
    }

    private static void WriteOidc(QueryParameters p, IReadOnlyDictionary<string, string> config)
    {
        p.AddFlattened(config);

        // Describe* never returns ClientSecret, and ModifyListener/ModifyRule then need UseExistingClientSecret=true:
        // "If you are modifying a rule, you can omit this parameter if you set UseExistingClientSecret to true"
        // (elbv2 model, AuthenticateOidcActionConfig.ClientSecret). Without it, writing back what was read fails.
        if (!config.ContainsKey("ClientSecret") && !config.ContainsKey("UseExistingClientSecret"))
        {
            p.Add("UseExistingClientSecret", true);
        }
    }

    public static void WriteCondition(QueryParameters p, RuleCondition condition)
    {
        p.Add("Field", condition.Field)
            .AddList("Values", condition.Values)
            .AddStruct("HostHeaderConfig", condition.HostHeaderConfig, (c, v) => c.AddList("Values", v.Values).AddList("RegexValues", v.RegexValues))
            .AddStruct("PathPatternConfig", condition.PathPatternConfig, (c, v) => c.AddList("Values", v.Values).AddList("RegexValues", v.RegexValues))
            .AddStruct("HttpHeaderConfig", condition.HttpHeaderConfig, (c, v) => c
                .Add("HttpHeaderName", v.HttpHeaderName)
                .AddList("Values", v.Values)
                .AddList("RegexValues", v.RegexValues))
            .AddStruct("QueryStringConfig", condition.QueryStringConfig, (c, v) => c
                .AddList("Values", v.Values, (kv, pair) => kv.Add("Key", pair.Key).Add("Value", pair.Value)))
            .AddStruct("HttpRequestMethodConfig", condition.HttpRequestMethodConfig, (c, v) => c.AddList("Values", v.Values))
            .AddStruct("SourceIpConfig", condition.SourceIpConfig, (c, v) => c.AddList("Values", v.Values))
            .AddList("RegexValues", condition.RegexValues)
            .AddFlattened(condition.AdditionalMembers);
    }

    public static void WriteTarget(QueryParameters p, TargetDescription target) =>
        p.Add("Id", target.Id).Add("Port", target.Port).Add("AvailabilityZone", target.AvailabilityZone);

    public static void WriteTag(QueryParameters p, Tag tag) => p.Add("Key", tag.Key).Add("Value", tag.Value);

    public static void WriteCertificate(QueryParameters p, Certificate certificate) =>
        p.Add("CertificateArn", certificate.CertificateArn).Add("IsDefault", certificate.IsDefault);

    public static void WriteAttribute(QueryParameters p, TargetGroupAttribute attribute) =>
        p.Add("Key", attribute.Key).Add("Value", attribute.Value);

    // ---- readers ----

    private static readonly string[] ActionMembers =
        ["Type", "TargetGroupArn", "AuthenticateOidcConfig", "AuthenticateCognitoConfig", "Order", "RedirectConfig", "FixedResponseConfig", "ForwardConfig"];

    private static readonly string[] ConditionMembers =
        ["Field", "Values", "HostHeaderConfig", "PathPatternConfig", "HttpHeaderConfig", "QueryStringConfig", "HttpRequestMethodConfig", "SourceIpConfig", "RegexValues"];

    public static Action ReadAction(XElement e) => new()
    {
        Type = e.Text("Type") ?? string.Empty,
        TargetGroupArn = e.Text("TargetGroupArn"),
        AuthenticateOidcConfig = e.Child("AuthenticateOidcConfig") is { } oidc ? QueryXml.Flatten(oidc) : null,
        AuthenticateCognitoConfig = e.Child("AuthenticateCognitoConfig") is { } cognito ? QueryXml.Flatten(cognito) : null,
        Order = e.Int("Order"),
        RedirectConfig = e.Child("RedirectConfig") is { } r
            ? new RedirectActionConfig
            {
                Protocol = r.Text("Protocol"),
                Port = r.Text("Port"),
                Host = r.Text("Host"),
                Path = r.Text("Path"),
                Query = r.Text("Query"),
                StatusCode = r.Text("StatusCode"),
            }
            : null,
        FixedResponseConfig = e.Child("FixedResponseConfig") is { } f
            ? new FixedResponseActionConfig { MessageBody = f.Text("MessageBody"), StatusCode = f.Text("StatusCode"), ContentType = f.Text("ContentType") }
            : null,
        ForwardConfig = e.Child("ForwardConfig") is { } fw
            ? new ForwardActionConfig
            {
                TargetGroups = fw.List("TargetGroups", t => new TargetGroupTuple { TargetGroupArn = t.Text("TargetGroupArn"), Weight = t.Int("Weight") }),
                TargetGroupStickinessConfig = fw.Child("TargetGroupStickinessConfig") is { } s
                    ? new TargetGroupStickinessConfig { Enabled = s.Bool("Enabled"), DurationSeconds = s.Int("DurationSeconds") }
                    : null,
            }
            : null,
        AdditionalMembers = NullIfEmpty(QueryXml.Flatten(e, ActionMembers)),
    };

    public static RuleCondition ReadCondition(XElement e) => new()
    {
        Field = e.Text("Field"),
        Values = e.Strings("Values"),
        HostHeaderConfig = e.Child("HostHeaderConfig") is { } h
            ? new HostHeaderConditionConfig { Values = h.Strings("Values"), RegexValues = h.Strings("RegexValues") }
            : null,
        PathPatternConfig = e.Child("PathPatternConfig") is { } pp
            ? new PathPatternConditionConfig { Values = pp.Strings("Values"), RegexValues = pp.Strings("RegexValues") }
            : null,
        HttpHeaderConfig = e.Child("HttpHeaderConfig") is { } hh
            ? new HttpHeaderConditionConfig { HttpHeaderName = hh.Text("HttpHeaderName"), Values = hh.Strings("Values"), RegexValues = hh.Strings("RegexValues") }
            : null,
        QueryStringConfig = e.Child("QueryStringConfig") is { } q
            ? new QueryStringConditionConfig { Values = q.List("Values", kv => new QueryStringKeyValuePair { Key = kv.Text("Key"), Value = kv.Text("Value") }) }
            : null,
        HttpRequestMethodConfig = e.Child("HttpRequestMethodConfig") is { } m ? new HttpRequestMethodConditionConfig { Values = m.Strings("Values") } : null,
        SourceIpConfig = e.Child("SourceIpConfig") is { } ip ? new SourceIpConditionConfig { Values = ip.Strings("Values") } : null,
        RegexValues = e.Strings("RegexValues"),
        AdditionalMembers = NullIfEmpty(QueryXml.Flatten(e, ConditionMembers)),
    };

    public static LoadBalancer ReadLoadBalancer(XElement e) => new()
    {
        LoadBalancerArn = e.Text("LoadBalancerArn"),
        DNSName = e.Text("DNSName"),
        CanonicalHostedZoneId = e.Text("CanonicalHostedZoneId"),
        CreatedTime = e.Timestamp("CreatedTime"),
        LoadBalancerName = e.Text("LoadBalancerName"),
        Scheme = e.Text("Scheme"),
        VpcId = e.Text("VpcId"),
        State = e.Child("State") is { } s ? new LoadBalancerState(s.Text("Code"), s.Text("Reason")) : null,
        Type = e.Text("Type"),
        AvailabilityZones = e.List("AvailabilityZones", z => new AvailabilityZone
        {
            ZoneName = z.Text("ZoneName"),
            SubnetId = z.Text("SubnetId"),
            OutpostId = z.Text("OutpostId"),
        }),
        SecurityGroups = e.Strings("SecurityGroups"),
        IpAddressType = e.Text("IpAddressType"),
    };

    public static Listener ReadListener(XElement e) => new()
    {
        ListenerArn = e.Text("ListenerArn"),
        LoadBalancerArn = e.Text("LoadBalancerArn"),
        Port = e.Int("Port"),
        Protocol = e.Text("Protocol"),
        Certificates = e.List("Certificates", c => new Certificate { CertificateArn = c.Text("CertificateArn"), IsDefault = c.Bool("IsDefault") }),
        SslPolicy = e.Text("SslPolicy"),
        DefaultActions = e.List("DefaultActions", ReadAction),
        AlpnPolicy = e.Strings("AlpnPolicy"),
    };

    public static Rule ReadRule(XElement e) => new()
    {
        RuleArn = e.Text("RuleArn"),
        Priority = e.Text("Priority"),
        Conditions = e.List("Conditions", ReadCondition),
        Actions = e.List("Actions", ReadAction),
        IsDefault = e.Bool("IsDefault"),
    };

    public static TargetGroup ReadTargetGroup(XElement e) => new()
    {
        TargetGroupArn = e.Text("TargetGroupArn"),
        TargetGroupName = e.Text("TargetGroupName"),
        Protocol = e.Text("Protocol"),
        Port = e.Int("Port"),
        VpcId = e.Text("VpcId"),
        HealthCheckProtocol = e.Text("HealthCheckProtocol"),
        HealthCheckPort = e.Text("HealthCheckPort"),
        HealthCheckEnabled = e.Bool("HealthCheckEnabled"),
        HealthCheckIntervalSeconds = e.Int("HealthCheckIntervalSeconds"),
        HealthCheckTimeoutSeconds = e.Int("HealthCheckTimeoutSeconds"),
        HealthyThresholdCount = e.Int("HealthyThresholdCount"),
        UnhealthyThresholdCount = e.Int("UnhealthyThresholdCount"),
        HealthCheckPath = e.Text("HealthCheckPath"),
        Matcher = e.Child("Matcher") is { } m ? new Matcher { HttpCode = m.Text("HttpCode"), GrpcCode = m.Text("GrpcCode") } : null,
        LoadBalancerArns = e.Strings("LoadBalancerArns"),
        TargetType = e.Text("TargetType"),
        ProtocolVersion = e.Text("ProtocolVersion"),
        IpAddressType = e.Text("IpAddressType"),
    };

    public static TargetDescription ReadTarget(XElement e) => new()
    {
        Id = e.Text("Id") ?? string.Empty,
        Port = e.Int("Port"),
        AvailabilityZone = e.Text("AvailabilityZone"),
    };

    public static TargetHealthDescription ReadTargetHealth(XElement e) => new()
    {
        Target = e.Child("Target") is { } t ? ReadTarget(t) : null,
        HealthCheckPort = e.Text("HealthCheckPort"),
        TargetHealth = e.Child("TargetHealth") is { } h ? new TargetHealth(h.Text("State"), h.Text("Reason"), h.Text("Description")) : null,
    };

    public static TargetGroupAttribute ReadAttribute(XElement e) => new(e.Text("Key"), e.Text("Value"));

    public static Tag ReadTag(XElement e) => new(e.Text("Key") ?? string.Empty, e.Text("Value"));

    public static TagDescription ReadTagDescription(XElement e) => new()
    {
        ResourceArn = e.Text("ResourceArn"),
        Tags = e.List("Tags", ReadTag),
    };

    /// <summary>NextMarker is absent or empty on the last page (elbv2 model: "null when there are no more results").</summary>
    public static string? NextMarker(XElement result) => result.Text("NextMarker") is { Length: > 0 } marker ? marker : null;

    private static IReadOnlyDictionary<string, string>? NullIfEmpty(IReadOnlyDictionary<string, string> members) =>
        members.Count == 0 ? null : members;
}
