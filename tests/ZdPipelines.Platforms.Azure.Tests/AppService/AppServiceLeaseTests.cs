using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

/// <summary>
/// The lease as a tag on the app, written then checked again after a settle delay: what it keeps apart, and — as
/// docs/azure.md says — what it cannot, since ARM has no conditional write.
/// </summary>
public sealed class AppServiceLeaseTests
{
    private const string BlueGreen = """
        strategy:
          blueGreen: { bake: 0s }

        """;

    [Fact]
    public async Task Of_two_runs_that_write_the_lease_at_the_same_moment_the_one_written_last_holds_it_and_the_other_backs_off()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(BlueGreen);
        var (a, b) = (bed.Platform(spec), bed.Platform(spec));
        var expires = bed.Bed.Time.GetUtcNow().AddMinutes(2);

        // Both read the tag free and write it before either one's settle delay ends: the clock stands still meanwhile.
        var first = a.TryAcquireLeaseAsync(new Lease("shop-api-a", "runner-a/1", expires), CancellationToken.None);
        var second = b.TryAcquireLeaseAsync(new Lease("shop-api-b", "runner-b/1", expires), CancellationToken.None);
        await WaitUntilAsync(() => bed.Bed.ArmRequests.Count(r => r.OperationId == "Tags_UpdateAtScope") == 2);
        var results = await Task.WhenAll(bed.Bed.DriveAsync(first), bed.Bed.DriveAsync(second));

        Assert.Single(results, r => r.Acquired);
        var holder = AppServiceLease.Parse(bed.App.Production.Tags[AppServiceTagStore.LeaseKey])!.Lease.DeploymentId;
        Assert.Equal(holder, results.Single(r => !r.Acquired).Holder!.DeploymentId);
    }

    [Fact]
    public async Task Two_runs_both_hold_the_lease_when_one_write_lands_after_the_others_check_and_the_first_loses_it_at_its_next_renewal()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(BlueGreen);
        var held = new HeldTagWrite();
        var late = bed.Platform(spec, outer: held);
        var prompt = bed.Platform(spec);
        var expires = bed.Bed.Time.GetUtcNow().AddMinutes(2);

        // The late run read the tag free; its write is held up (a throttled write retried later, a paused process).
        var lateTake = late.TryAcquireLeaseAsync(new Lease("shop-api-late", "runner-b/1", expires), CancellationToken.None);
        await held.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var promptTake = await bed.Bed.DriveAsync(prompt.TryAcquireLeaseAsync(new Lease("shop-api-prompt", "runner-a/1", expires), CancellationToken.None));
        held.Release();
        var lateResult = await bed.Bed.DriveAsync(lateTake);

        // What docs/azure.md warns of: both proceed.
        Assert.True(promptTake.Acquired);
        Assert.True(lateResult.Acquired);
        // The first run's next renewal sees the other's lease and gives up before acting again.
        var renewal = await bed.Bed.DriveAsync(prompt.TryAcquireLeaseAsync(new Lease("shop-api-prompt", "runner-a/1", expires.AddSeconds(30)), CancellationToken.None));
        Assert.False(renewal.Acquired);
        Assert.Equal("shop-api-late", renewal.Holder!.DeploymentId);
    }

    [Fact]
    public async Task A_deployment_is_refused_while_another_run_holds_the_lease_and_nothing_changes()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(BlueGreen);
        var other = await bed.Bed.DriveAsync(bed.Platform(spec).TryAcquireLeaseAsync(
            new Lease("shop-api-other", "ci-runner-9/77", bed.Bed.Time.GetUtcNow().AddMinutes(2)), CancellationToken.None));
        Assert.True(other.Acquired);

        var (result, _) = await bed.DeployAsync(spec, bed.Platform(spec));

        Assert.Equal(DeploymentOutcome.Refused, result.Outcome);
        Assert.Contains("shop-api-other by ci-runner-9/77", result.Reason, StringComparison.Ordinal);
        Assert.Equal("prod=v1 slot=v2", bed.State().Serving);
        Assert.DoesNotContain("zdp:journal:0", bed.App.Production.Tags.Keys);
    }

    [Fact]
    public async Task Asking_who_holds_the_lease_writes_nothing()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var platform = bed.Platform(bed.Spec(BlueGreen));

        var probe = await bed.Bed.DriveAsync(platform.TryAcquireLeaseAsync(new Lease("zdp-status-probe", "status/1", bed.Bed.Time.GetUtcNow()), CancellationToken.None));

        Assert.True(probe.Acquired);
        Assert.DoesNotContain(bed.Bed.ArmRequests, r => r.Method != "GET");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    /// <summary>Holds the first tag write back until released.</summary>
    private sealed class HeldTagWrite : DelegatingHandler
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _seen;

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Patch && request.RequestUri!.AbsolutePath.EndsWith("/providers/Microsoft.Resources/tags/default", StringComparison.Ordinal)
                && Interlocked.Increment(ref _seen) == 1)
            {
                Reached.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
