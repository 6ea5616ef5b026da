using ZdPipelines.Hosts.GitHubActions.Deployments;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Deployments;

public sealed class StatusDescriptionTests
{
    [Fact]
    public void A_short_description_is_kept_on_one_line()
    {
        Assert.Equal("rolled back: gate failed", StatusDescription.Fit("rolled back:\ngate failed"));
    }

    [Fact]
    public void A_long_description_is_cut_to_140_characters_with_an_ellipsis()
    {
        var fitted = StatusDescription.Fit(new string('a', 300));

        Assert.Equal(140, fitted.Length);
        Assert.EndsWith("…", fitted);
    }

    [Fact]
    public void The_cut_never_splits_a_surrogate_pair()
    {
        // 138 letters, then emoji (two UTF-16 units each): a cut by units would leave half of one.
        var fitted = StatusDescription.Fit(new string('a', 138) + string.Concat(Enumerable.Repeat("🚀", 10)));

        Assert.True(fitted.Length <= 140);
        Assert.Equal(new string('a', 138) + "…", fitted);
        Assert.DoesNotContain(fitted, char.IsSurrogate);
    }
}
