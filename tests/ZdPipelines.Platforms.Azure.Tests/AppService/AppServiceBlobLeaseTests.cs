using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Tests.Support;
using BlobLease = ZdPipelines.Platforms.Azure.Leases.BlobLease;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

/// <summary>
/// Deployments with platform.azureAppService.lease: the real engine on the ARM emulator, the lease in Azurite. The journal stays
/// in the app's tags; the lease never does.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class AppServiceBlobLeaseTests(Azurite azurite)
{
    private const string BlueGreen = """
        strategy:
          blueGreen: { bake: 0s }

        """;

    private const string Canary = """
        strategy:
          canary:
            steps: [ { setWeight: 20 }, { pause: 5m }, { setWeight: 50 } ]

        """;

    [Fact]
    public async Task A_blue_green_deployment_takes_the_blob_lease_swaps_and_gives_the_lease_back_with_the_journal_in_the_tags()
    {
        await using var bed = await AppServiceTestBed.StartWithAzuriteAsync(azurite);
        var blob = bed.LeaseBlob();
        var spec = bed.Spec(BlueGreen, lease: blob);
        var platform = bed.Platform(spec);
        var began = bed.Bed.Time.GetUtcNow();

        var (result, _) = await bed.DeployAsync(spec, platform);

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal("prod=v2 slot=v1", bed.State().Serving);
        Assert.Single(bed.App.Swaps);
        Assert.Contains("zdp:journal:0", bed.App.Production.Tags.Keys);
        Assert.DoesNotContain(AppServiceTagStore.LeaseKey, bed.App.Production.Tags.Keys);
        var stored = (await bed.BlobClient(blob).GetPropertiesAsync()).Value;
        Assert.Equal(global::Azure.Storage.Blobs.Models.LeaseState.Available, stored.LeaseState);
        Assert.Equal(result.DeploymentId, BlobLease.Parse(stored.Metadata)!.DeploymentId);

        // What the lease cost Storage (docs/azure.md, "The lease"): the first Acquire finds no blob, creates it and acquires
        // again; the record; one renewal each 30 s the run lasted; the record marked released, and the release.
        var calls = ((BlobLease)platform.Lease).Calls.ByKind;
        var renewals = (int)((bed.Bed.Time.GetUtcNow() - began) / (EngineDefaults.LeaseDuration / 4));
        Assert.Equal(2, calls["Lease acquire"]);
        Assert.Equal(1, calls["Put Blob"]);
        Assert.Equal(1, calls["Lease release"]);
        Assert.InRange(calls["Set Blob Metadata"], 2, 2 + renewals);
        Assert.DoesNotContain("Lease break", calls.Keys);
    }

    [Fact]
    public async Task Of_two_deployments_started_at_the_same_instant_on_one_app_exactly_one_swaps_and_the_other_is_refused_naming_it()
    {
        await using var bed = await AppServiceTestBed.StartWithAzuriteAsync(azurite);
        for (var trial = 0; trial < 3; trial++)
        {
            var spec = bed.Spec(BlueGreen, lease: bed.LeaseBlob());
            var swapsBefore = bed.App.Swaps.Count;
            var runs = new[] { "runner-a/1", "runner-b/2" }.Select(owner =>
            {
                var platform = bed.Platform(spec);
                var engine = bed.EngineFor(platform, options: AppServiceTestBed.Engine with { Owner = owner, Random = new Random(owner[7]) });
                return (Platform: platform, Engine: engine);
            }).ToList();
            var plans = new List<Core.Plans.DeploymentPlan>();
            foreach (var run in runs)
            {
                plans.Add(await bed.PlanAsync(spec, run.Platform));
            }

            using var barrier = new Barrier(2);
            var deploys = runs.Select((run, i) => Task.Run(() =>
            {
                barrier.SignalAndWait();
                return run.Engine.DeployAsync(spec, plans[i], $"digest-{trial}", CancellationToken.None);
            })).ToArray();
            var results = await bed.Bed.DriveAsync(Task.WhenAll(deploys));

            Assert.Single(results, r => r.Outcome == DeploymentOutcome.Promoted);
            var refused = Assert.Single(results, r => r.Outcome == DeploymentOutcome.Refused);
            var winner = results.Single(r => r.Outcome == DeploymentOutcome.Promoted);
            Assert.Contains($"deployment {winner.DeploymentId} by runner-", refused.Reason, StringComparison.Ordinal);
            Assert.Equal(swapsBefore + 1, bed.App.Swaps.Count);
        }
    }

    [Fact]
    public async Task A_run_whose_lease_was_taken_over_during_a_pause_stops_before_its_next_change()
    {
        await using var bed = await AppServiceTestBed.StartWithAzuriteAsync(azurite);
        var blob = bed.LeaseBlob();
        var spec = bed.Spec(Canary, lease: blob);
        var frozen = bed.Platform(spec);
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var plan = await bed.PlanAsync(spec, frozen);
        var engine = bed.EngineFor(frozen, e =>
        {
            if (e is StepCompleted { Description: "set candidate weight to 20 %" })
            {
                paused.TrySetResult();
            }
        });
        var deploy = engine.DeployAsync(spec, plan, "digest-1", CancellationToken.None);
        await bed.Bed.DriveAsync(Task.WhenAny(paused.Task, deploy));
        Assert.False(deploy.IsCompleted);

        // While the run waits out its pause (the clock stands still), another run takes the lease over, as `zdp rollback
        // --take-over` would for a run it believes dead.
        var holder = BlobLease.Parse((await bed.BlobClient(blob).GetPropertiesAsync()).Value.Metadata)!;
        var rescuer = bed.Platform(spec);
        var taken = await bed.Bed.DriveAsync(rescuer.TakeOverLeaseAsync(new Lease(holder.DeploymentId, "runner-b/2", bed.Bed.Time.GetUtcNow().AddMinutes(2)), holder, CancellationToken.None));
        Assert.True(taken.Acquired);
        var mark = bed.Bed.ArmRequests.Count;
        var takenAt = bed.Bed.Time.GetUtcNow();

        var result = await bed.Bed.DriveAsync(deploy);

        Assert.Equal(DeploymentOutcome.Failed, result.Outcome);
        Assert.Contains("lost the deployment lease", result.Reason, StringComparison.Ordinal);
        // Its renewal with the old lease id was refused, so it never routed more traffic, swapped or rolled back.
        Assert.Equal("prod=v1 slot=v2 share=20", bed.State().Serving);
        Assert.Empty(bed.App.Swaps);
        var after = bed.Bed.ArmRequests.Skip(mark).Where(r => r.Method != "GET").ToList();
        Assert.All(after, r => Assert.Equal("Tags_UpdateAtScope", r.OperationId));
        // The engine learns of the take-over at its next renewal (every 30 s); journal writes of the pause stop there.
        Assert.All(after, r => Assert.InRange(r.Time, takenAt, takenAt + EngineDefaults.LeaseDuration / 4));
    }
}
