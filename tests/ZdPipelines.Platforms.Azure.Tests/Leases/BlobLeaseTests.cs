using Azure.Storage.Blobs.Models;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Leases;
using BlobLease = ZdPipelines.Platforms.Azure.Leases.BlobLease;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.Leases;

/// <summary>
/// The blob lease against Azurite with the real Azure.Storage.Blobs client, signed in with bearer tokens from the emulated
/// Entra ID (the production credential path): two runs at the same instant, renewal, release, take-over, and fencing.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class BlobLeaseTests(Azurite azurite)
{
    private const string BlueGreen = """
        strategy:
          blueGreen: { bake: 0s }

        """;

    [Fact]
    public async Task Of_two_runs_that_take_the_lease_at_the_same_instant_exactly_one_holds_it_every_time_and_the_other_names_it()
    {
        await using var bed = await AppServiceTestBed.StartWithAzuriteAsync(azurite);
        var outcomes = new List<string>();
        for (var trial = 0; trial < 24; trial++)
        {
            // Three starting points in turn: no blob yet (both create it), a released lease, a dead holder's expired lease (both break it).
            var kind = (trial % 3) switch { 0 => "missing", 1 => "released", _ => "expired" };
            var blob = bed.LeaseBlob(kind == "missing" ? $"fresh-{trial}.lease" : "shared.lease");
            var spec = bed.Spec(BlueGreen, lease: blob);
            if (kind == "expired")
            {
                var dead = bed.Platform(spec);
                Assert.True((await bed.Bed.DriveAsync(dead.TryAcquireLeaseAsync(new Lease($"dead-{trial}", "gone/1", bed.Bed.Time.GetUtcNow().AddMinutes(2)), CancellationToken.None))).Acquired);
                bed.Bed.Time.Advance(TimeSpan.FromMinutes(3));
            }

            var (a, b) = (bed.Platform(spec), bed.Platform(spec));
            var expires = bed.Bed.Time.GetUtcNow().AddMinutes(2);
            using var barrier = new Barrier(2);
            var first = Task.Run(() =>
            {
                barrier.SignalAndWait();
                return a.TryAcquireLeaseAsync(new Lease($"a-{trial}", "runner-a/1", expires), CancellationToken.None);
            });
            var second = Task.Run(() =>
            {
                barrier.SignalAndWait();
                return b.TryAcquireLeaseAsync(new Lease($"b-{trial}", "runner-b/1", expires), CancellationToken.None);
            });
            var results = await bed.Bed.DriveAsync(Task.WhenAll(first, second));

            Assert.True(results.Count(r => r.Acquired) == 1, $"trial {trial} ({kind}): {results.Count(r => r.Acquired)} runs hold the lease");
            var (winner, loser) = results[0].Acquired ? (a, results[1]) : (b, results[0]);
            var winnerId = results[0].Acquired ? $"a-{trial}" : $"b-{trial}";
            Assert.True(winnerId == loser.Holder?.DeploymentId, $"trial {trial} ({kind}): the refused run named {loser.Holder?.DeploymentId ?? "nobody"}, not {winnerId}");
            Assert.True(winner.Lease.Holds(winnerId));
            var stored = (await bed.BlobClient(blob).GetPropertiesAsync()).Value;
            Assert.Equal(LeaseState.Leased, stored.LeaseState);
            Assert.Equal(winnerId, BlobLease.Parse(stored.Metadata)!.DeploymentId);
            outcomes.Add($"{kind}:{winnerId[0]}");

            if (kind != "missing")
            {
                await bed.Bed.DriveAsync(winner.ReleaseLeaseAsync(winnerId, CancellationToken.None));
            }
        }

        // The lease never lived in the app's tags.
        Assert.DoesNotContain(AppServiceTagStore.LeaseKey, bed.App.Production.Tags.Keys);
        Assert.Equal(24, outcomes.Count);
    }

    [Fact]
    public async Task A_renewal_rewrites_the_record_with_the_lease_id_in_one_call_and_moves_its_expiry()
    {
        await using var bed = await AppServiceTestBed.StartWithAzuriteAsync(azurite);
        var blob = bed.LeaseBlob();
        var lease = bed.LeaseOn(blob);
        var start = bed.Bed.Time.GetUtcNow();
        Assert.True((await bed.Bed.DriveAsync(lease.TryAcquireAsync(new Lease("shop-api-1", "runner-a/1", start.AddMinutes(2)), CancellationToken.None))).Acquired);
        var before = lease.Calls.Total;

        var renewed = await bed.Bed.DriveAsync(lease.TryAcquireAsync(new Lease("shop-api-1", "runner-a/1", start.AddMinutes(2.5)), CancellationToken.None));

        Assert.True(renewed.Acquired);
        Assert.Equal(1, lease.Calls.Total - before);
        var stored = (await bed.BlobClient(blob).GetPropertiesAsync()).Value;
        Assert.Equal(start.AddMinutes(2.5).ToUnixTimeMilliseconds(), BlobLease.Parse(stored.Metadata)!.ExpiresAt.ToUnixTimeMilliseconds());
        Assert.Equal(LeaseDurationType.Infinite, stored.LeaseDuration);
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_for_the_next_run()
    {
        await using var bed = await AppServiceTestBed.StartWithAzuriteAsync(azurite);
        var blob = bed.LeaseBlob();
        var (first, next) = (bed.LeaseOn(blob), bed.LeaseOn(blob));
        var expires = bed.Bed.Time.GetUtcNow().AddMinutes(2);
        Assert.True((await bed.Bed.DriveAsync(first.TryAcquireAsync(new Lease("shop-api-1", "runner-a/1", expires), CancellationToken.None))).Acquired);
        var refused = await bed.Bed.DriveAsync(next.TryAcquireAsync(new Lease("shop-api-2", "runner-b/1", expires), CancellationToken.None));
        Assert.False(refused.Acquired);
        Assert.Equal(new Lease("shop-api-1", "runner-a/1", expires), refused.Holder);

        await bed.Bed.DriveAsync(first.ReleaseAsync("shop-api-1", CancellationToken.None));
        var taken = await bed.Bed.DriveAsync(next.TryAcquireAsync(new Lease("shop-api-2", "runner-b/1", expires), CancellationToken.None));

        Assert.True(taken.Acquired);
        Assert.False(first.Holds("shop-api-1"));
        Assert.Equal(1, first.Calls.ByKind.GetValueOrDefault("Lease release"));
    }

    [Fact]
    public async Task A_take_over_replaces_exactly_the_holder_it_names_and_the_replaced_run_can_no_longer_renew()
    {
        await using var bed = await AppServiceTestBed.StartWithAzuriteAsync(azurite);
        var blob = bed.LeaseBlob();
        var (frozen, rescuer, bystander) = (bed.LeaseOn(blob), bed.LeaseOn(blob), bed.LeaseOn(blob));
        var expires = bed.Bed.Time.GetUtcNow().AddMinutes(2);
        var frozenLease = new Lease("shop-api-1", "runner-a/1", expires);
        Assert.True((await bed.Bed.DriveAsync(frozen.TryAcquireAsync(frozenLease, CancellationToken.None))).Acquired);

        // A take-over that names someone else is refused, and names the real holder.
        var wrong = await bed.Bed.DriveAsync(bystander.TakeOverAsync(new Lease("shop-api-3", "runner-c/1", expires), new Lease("shop-api-0", "runner-z/1", expires), CancellationToken.None));
        Assert.False(wrong.Acquired);
        Assert.Equal("shop-api-1", wrong.Holder?.DeploymentId);

        var taken = await bed.Bed.DriveAsync(rescuer.TakeOverAsync(new Lease("shop-api-1", "runner-b/1", expires), frozenLease, CancellationToken.None));
        Assert.True(taken.Acquired);

        // The frozen run wakes up: its lease id no longer matches, so its renewal is refused and names the new holder.
        var renewal = await bed.Bed.DriveAsync(frozen.TryAcquireAsync(frozenLease with { ExpiresAt = expires.AddSeconds(30) }, CancellationToken.None));
        Assert.False(renewal.Acquired);
        Assert.Equal("runner-b/1", renewal.Holder?.Owner);
        Assert.False(frozen.Holds("shop-api-1"));
        // Its release, too, leaves the new holder's lease alone.
        await bed.Bed.DriveAsync(frozen.ReleaseAsync("shop-api-1", CancellationToken.None));
        Assert.Equal(LeaseState.Leased, (await bed.BlobClient(blob).GetPropertiesAsync()).Value.LeaseState);
        Assert.True((await bed.Bed.DriveAsync(rescuer.TryAcquireAsync(new Lease("shop-api-1", "runner-b/1", expires.AddSeconds(30)), CancellationToken.None))).Acquired);
    }

    [Fact]
    public async Task Asking_who_holds_the_lease_reads_the_blob_once_and_writes_nothing()
    {
        await using var bed = await AppServiceTestBed.StartWithAzuriteAsync(azurite);
        var blob = bed.LeaseBlob();
        var holder = bed.LeaseOn(blob);
        var now = bed.Bed.Time.GetUtcNow();
        Assert.True((await bed.Bed.DriveAsync(holder.TryAcquireAsync(new Lease("shop-api-1", "runner-a/1", now.AddMinutes(2)), CancellationToken.None))).Acquired);
        var status = bed.LeaseOn(blob);

        var probe = await bed.Bed.DriveAsync(status.TryAcquireAsync(new Lease("zdp-status-probe", "status/1", now), CancellationToken.None));

        Assert.False(probe.Acquired);
        Assert.Equal("shop-api-1", probe.Holder?.DeploymentId);
        Assert.Equal(new Dictionary<string, int> { ["Get Blob Properties"] = 1 }, status.Calls.ByKind);
    }

    [Fact]
    public async Task A_missing_container_is_one_message_naming_blob_url_and_how_to_create_it()
    {
        await using var bed = await AppServiceTestBed.StartWithAzuriteAsync(azurite);
        var lease = bed.LeaseOn(azurite.BlobUrl("no-such-container", "shop-api.lease"));

        var error = await Assert.ThrowsAsync<PlatformException>(() => bed.Bed.DriveAsync(lease.TryAcquireAsync(
            new Lease("shop-api-1", "runner-a/1", bed.Bed.Time.GetUtcNow().AddMinutes(2)), CancellationToken.None)));

        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Contains("the container 'no-such-container' of platform.azureAppService.lease.blobUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("az storage container create --auth-mode login", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Status:", error.Message, StringComparison.Ordinal);
    }
}
