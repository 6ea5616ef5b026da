using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

public sealed class QueryParametersTests
{
    private const string Blue = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/73e2d6bc24d8a067";
    private const string Green = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/09a3f2b6a8c9e1d0";

    [Fact]
    public void A_weighted_forward_is_encoded_as_botocore_encodes_it()
    {
        // Expected lines: botocore's QuerySerializer on the elbv2 model (shared/reference/aws.md §1), in its order.
        var parameters = new QueryParameters()
            .Add("ListenerArn", "arn:l")
            .AddList("DefaultActions", new[]
            {
                new ZdPipelines.Platforms.Aws.Clients.Action
                {
                    Type = "forward",
                    ForwardConfig = new ForwardActionConfig
                    {
                        TargetGroups = [new() { TargetGroupArn = Blue, Weight = 900 }, new() { TargetGroupArn = Green, Weight = 100 }],
                        TargetGroupStickinessConfig = new() { Enabled = true, DurationSeconds = 300 },
                    },
                },
            }, ElbV2Wire.WriteAction);

        Assert.Equal(
            [
                "ListenerArn=arn:l",
                "DefaultActions.member.1.Type=forward",
                $"DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn={Blue}",
                "DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.Weight=900",
                $"DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn={Green}",
                "DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight=100",
                "DefaultActions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled=true",
                "DefaultActions.member.1.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds=300",
            ],
            parameters.Pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public void Targets_tags_and_attributes_are_numbered_from_one()
    {
        var parameters = new QueryParameters()
            .Add("TargetGroupArn", "arn:tg")
            .AddList("Targets", new TargetDescription[] { new() { Id = "i-0abc", Port = 8080 }, new() { Id = "10.0.0.5" } }, ElbV2Wire.WriteTarget)
            .AddList("Tags", new Tag[] { new("k", "v") }, ElbV2Wire.WriteTag)
            .AddList("Attributes", new TargetGroupAttribute[] { new("deregistration_delay.timeout_seconds", "30") }, ElbV2Wire.WriteAttribute);

        Assert.Equal(
            [
                "TargetGroupArn=arn:tg",
                "Targets.member.1.Id=i-0abc",
                "Targets.member.1.Port=8080",
                "Targets.member.2.Id=10.0.0.5",
                "Tags.member.1.Key=k",
                "Tags.member.1.Value=v",
                "Attributes.member.1.Key=deregistration_delay.timeout_seconds",
                "Attributes.member.1.Value=30",
            ],
            parameters.Pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public void An_empty_list_is_sent_as_its_name_with_no_value_and_a_null_list_not_at_all()
    {
        var parameters = new QueryParameters().AddList("AlpnPolicy", Array.Empty<string>()).AddList("Certificates", (IReadOnlyList<string>?)null);

        Assert.Equal("Action=ModifyListener&Version=2015-12-01&AlpnPolicy=", parameters.ToFormBody("ModifyListener", "2015-12-01"));
    }

    [Fact]
    public void Maps_become_numbered_entries_of_key_and_value()
    {
        var parameters = new QueryParameters().AddMap("Extra", new Dictionary<string, string> { ["display"] = "page", ["prompt"] = "login" });

        Assert.Equal(
            ["Extra.entry.1.key=display", "Extra.entry.1.value=page", "Extra.entry.2.key=prompt", "Extra.entry.2.value=login"],
            parameters.Pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public void The_body_percent_encodes_everything_but_unreserved_characters()
    {
        var body = new QueryParameters()
            .Add("ListenerArn", "arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/a b/~x")
            .Add("Expression", "100*e5xx/req+1")
            .ToFormBody("DescribeListeners", "2015-12-01");

        Assert.Equal(
            "Action=DescribeListeners&Version=2015-12-01"
            + "&ListenerArn=arn%3Aaws%3Aelasticloadbalancing%3Aeu-west-1%3A1%3Alistener%2Fapp%2Fa%20b%2F~x"
            + "&Expression=100%2Ae5xx%2Freq%2B1",
            body);
    }

    [Fact]
    public void Timestamps_are_utc_iso8601_with_a_fraction_only_when_there_is_one()
    {
        Assert.Equal("2024-01-01T00:10:00Z", QueryParameters.FormatTimestamp(new DateTimeOffset(2024, 1, 1, 2, 10, 0, TimeSpan.FromHours(2))));
        Assert.Equal("2024-01-01T00:10:00.250000Z", QueryParameters.FormatTimestamp(new DateTimeOffset(2024, 1, 1, 0, 10, 0, 250, TimeSpan.Zero)));
    }

    [Fact]
    public void Booleans_are_lower_case_and_doubles_round_trip()
    {
        var parameters = new QueryParameters().Add("ReturnData", false).Add("Value", 0.1).Add("Threshold", 5.0);

        Assert.Equal(["ReturnData=false", "Value=0.1", "Threshold=5"], parameters.Pairs.Select(p => $"{p.Key}={p.Value}"));
    }
}
