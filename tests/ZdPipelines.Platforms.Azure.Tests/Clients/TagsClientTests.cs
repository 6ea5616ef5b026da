using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.Clients;

public sealed class TagsClientTests
{
    [Fact]
    public async Task Merge_adds_and_overwrites_tags_and_keeps_the_others()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.Production.SetTag("team", "shop");
        bed.App.Production.SetTag("zdp:lease", "old");

        var after = await bed.Clients.Tags.UpdateAtScopeAsync(bed.SiteId, TagPatchMode.Merge, new Dictionary<string, string> { ["zdp:lease"] = "dep-1 1700000000000 ci", ["zdp:journal:0"] = "1:abc" });

        Assert.Equal(new Dictionary<string, string> { ["team"] = "shop", ["zdp:lease"] = "dep-1 1700000000000 ci", ["zdp:journal:0"] = "1:abc" }, after);
        Assert.Equal(after, bed.App.Production.Tags);
        Assert.Equal(after, await bed.Clients.Tags.GetAtScopeAsync(bed.SiteId));
    }

    [Fact]
    public async Task Delete_removes_only_the_named_tags()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.Production.SetTag("team", "shop");
        bed.App.Production.SetTag("zdp:lease", "dep-1");

        var after = await bed.Clients.Tags.UpdateAtScopeAsync(bed.SiteId, TagPatchMode.Delete, new Dictionary<string, string> { ["zdp:lease"] = "" });

        Assert.Equal(new Dictionary<string, string> { ["team"] = "shop" }, after);
    }

    [Fact]
    public async Task Remove_deletes_the_named_tags_by_their_current_values_and_skips_absent_ones()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.Production.SetTag("team", "shop");
        bed.App.Production.SetTag("zdp:journal:0", "2:abc");
        bed.App.Production.SetTag("zdp:journal:1", "def");

        var after = await bed.Clients.Tags.RemoveAtScopeAsync(bed.SiteId, ["zdp:journal:0", "zdp:journal:1", "zdp:journal:2"]);

        Assert.Equal(new Dictionary<string, string> { ["team"] = "shop" }, after);
        var delete = bed.ArmRequests.Single(r => r.OperationId == "Tags_UpdateAtScope");
        Assert.Contains("\"zdp:journal:0\":\"2:abc\"", delete.Body);
        Assert.DoesNotContain("zdp:journal:2", delete.Body);
    }

    [Fact]
    public async Task Removing_only_absent_tags_sends_no_write()
    {
        await using var bed = await AzureTestBed.StartAsync();

        await bed.Clients.Tags.RemoveAtScopeAsync(bed.SiteId, ["zdp:lease"]);

        Assert.DoesNotContain(bed.ArmRequests, r => r.OperationId == "Tags_UpdateAtScope");
    }

    [Fact]
    public async Task Create_or_update_replaces_every_tag()
    {
        await using var bed = await AzureTestBed.StartAsync();
        bed.App.Production.SetTag("team", "shop");

        var after = await bed.Clients.Tags.CreateOrUpdateAtScopeAsync(bed.SiteId, new Dictionary<string, string> { ["only"] = "this" });

        Assert.Equal(new Dictionary<string, string> { ["only"] = "this" }, bed.App.Production.Tags);
        Assert.Equal(bed.App.Production.Tags, after);
    }

    [Fact]
    public async Task A_slot_has_tags_of_its_own()
    {
        await using var bed = await AzureTestBed.StartAsync();

        await bed.Clients.Tags.UpdateAtScopeAsync(bed.SlotId, TagPatchMode.Merge, new Dictionary<string, string> { ["zdp:version"] = "v2" });

        Assert.Equal("v2", bed.App.Slot("staging").Tags["zdp:version"]);
        Assert.Empty(bed.App.Production.Tags);
    }

    [Fact]
    public async Task A_tag_write_answered_202_is_followed_to_its_end()
    {
        await using var bed = await AzureTestBed.StartAsync(o => o with { TagWritesAreLongRunning = true });

        var after = await bed.DriveAsync(bed.Clients.Tags.UpdateAtScopeAsync(bed.SiteId, TagPatchMode.Merge, new Dictionary<string, string> { ["a"] = "1" }));

        Assert.Equal("1", after["a"]);
        Assert.Contains(bed.Emulator.Requests, r => r.OperationId == "Tags_UpdateAtScope" && r.Status == 202);
        Assert.Contains(bed.Emulator.Requests, r => r.OperationId == "Poll" && r.Status == 200);
    }

    [Fact]
    public async Task More_than_50_tags_or_a_value_over_256_characters_are_refused_before_sending()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var many = Enumerable.Range(0, 51).ToDictionary(i => $"t{i}", i => "v");

        var tooMany = await Assert.ThrowsAsync<ArgumentException>(() => bed.Clients.Tags.CreateOrUpdateAtScopeAsync(bed.SiteId, many));
        var tooLong = await Assert.ThrowsAsync<ArgumentException>(() =>
            bed.Clients.Tags.UpdateAtScopeAsync(bed.SiteId, TagPatchMode.Merge, new Dictionary<string, string> { ["zdp:journal:0"] = new string('x', 257) }));
        var badName = await Assert.ThrowsAsync<ArgumentException>(() =>
            bed.Clients.Tags.UpdateAtScopeAsync(bed.SiteId, TagPatchMode.Merge, new Dictionary<string, string> { ["a/b"] = "x" }));

        Assert.Contains("50", tooMany.Message);
        Assert.Contains("256", tooLong.Message);
        Assert.Contains("a/b", badName.Message);
        Assert.Empty(bed.ArmRequests);
    }

    [Fact]
    public async Task A_merge_that_would_pass_50_tags_is_refused_by_ARM_and_changes_nothing()
    {
        await using var bed = await AzureTestBed.StartAsync();
        for (var i = 0; i < 49; i++)
        {
            bed.App.Production.SetTag($"t{i}", "v");
        }

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() =>
            bed.Clients.Tags.UpdateAtScopeAsync(bed.SiteId, TagPatchMode.Merge, new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" }));

        Assert.Equal(400, error.Status);
        Assert.Equal(49, bed.App.Production.Tags.Count);
    }

    [Fact]
    public async Task Tags_of_a_missing_app_are_a_404()
    {
        await using var bed = await AzureTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<ArmRequestFailedException>(() =>
            bed.Clients.Tags.GetAtScopeAsync(WebAppIds.Site(AzureTestBed.SubscriptionId, AzureTestBed.ResourceGroup, "gone")));

        Assert.Equal((404, "Tags_GetAtScope"), (error.Status, error.OperationId));
    }
}
