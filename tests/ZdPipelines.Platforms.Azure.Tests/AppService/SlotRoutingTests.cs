using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Clients;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

public sealed class SlotRoutingTests
{
    private const string Staging = "shop-staging-ab12.azurewebsites.net";
    private const string Canary = "shop-canary-cd34.azurewebsites.net";

    [Fact]
    public void Setting_a_share_adds_a_rule_named_after_the_slot()
    {
        var rules = SlotRouting.WithPercentage([], Staging, "staging", 10);

        Assert.Equal([new RampUpRule { ActionHostName = Staging, ReroutePercentage = 10, Name = "staging" }], rules);
    }

    [Fact]
    public void Changing_a_share_keeps_the_rule_members_and_its_place_and_every_other_rule()
    {
        var canary = new RampUpRule { ActionHostName = Canary, ReroutePercentage = 5, Name = "canary", MinReroutePercentage = 1 };
        var staging = new RampUpRule { ActionHostName = Staging.ToUpperInvariant(), ReroutePercentage = 10, Name = "blue", ChangeDecisionCallbackUrl = "https://x" };

        var rules = SlotRouting.WithPercentage([staging, canary], Staging, "staging", 50);

        Assert.Equal([staging with { ReroutePercentage = 50 }, canary], rules);
        Assert.Equal(50, SlotRouting.PercentageFor(rules, Staging));
    }

    [Fact]
    public void Zero_removes_the_slot_rule_and_only_it()
    {
        var canary = new RampUpRule { ActionHostName = Canary, ReroutePercentage = 5, Name = "canary" };

        var rules = SlotRouting.WithPercentage([new RampUpRule { ActionHostName = Staging, ReroutePercentage = 30, Name = "staging" }, canary], Staging, "staging", 0);

        Assert.Equal([canary], rules);
        Assert.Equal(0, SlotRouting.PercentageFor(rules, Staging));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void A_share_outside_0_to_100_is_refused(double percentage) =>
        Assert.Throws<ArgumentException>(() => SlotRouting.WithPercentage([], Staging, "staging", percentage));

    [Fact]
    public void Shares_of_all_slots_above_100_are_refused_naming_what_the_others_take()
    {
        var canary = new RampUpRule { ActionHostName = Canary, ReroutePercentage = 30, Name = "canary" };

        var error = Assert.Throws<ArgumentException>(() => SlotRouting.WithPercentage([canary], Staging, "staging", 80));

        Assert.Contains("other rules already take 30 %", error.Message);
    }
}
