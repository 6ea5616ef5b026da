using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Local.Platform;
using ZdPipelines.Platforms.Local.Samples;

namespace ZdPipelines.Platforms.Local.Tests.Platform;

public sealed class LocalPlatformTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "zdp-local-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Observe_reports_every_target_by_short_id_with_timings_and_addresses()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 1);
        await using var platform = await StartAsync(upstreams);

        var snapshot = await platform.ObserveAsync(CancellationToken.None);

        Assert.Equal("local", platform.Kind);
        Assert.Equal(
            ["stable-1", "stable-2", "candidate-1"],
            snapshot.Targets.Select(t => t.Id));
        Assert.All(snapshot.Targets, t => Assert.True(t.Registered && t.Health == TargetHealth.Healthy && !t.Updated));
        Assert.Equal(upstreams.Stable[1].Url, platform.Targets.Single(t => t.Id == "stable-2").Address);
        Assert.Equal(Side.Stable, snapshot.ActiveSide);
        Assert.Equal(0, snapshot.CandidateWeight);
        Assert.Equal(platform.Target, snapshot.Address);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", snapshot.Address);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", snapshot.PreviewAddress);
        Assert.Equal(Upstreams.FastHealth.Interval, snapshot.Timings.HealthCheckInterval);
        Assert.Equal(Upstreams.FastHealth.HealthyThreshold, snapshot.Timings.HealthyThreshold);
        Assert.Equal(TimeSpan.FromSeconds(2), snapshot.Timings.DeregistrationDelay);
    }

    [Fact]
    public async Task Weight_and_switch_show_in_the_snapshot_and_in_the_traffic()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 1, candidate: 1);
        await using var platform = await StartAsync(upstreams);
        var address = new Uri(platform.Target);

        await platform.SetCandidateWeightAsync(50, CancellationToken.None);
        Assert.Equal(50, (await platform.ObserveAsync(CancellationToken.None)).TrafficShare(Side.Candidate));
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 10, ["v2"] = 10 }, await upstreams.SendAsync(address, 20));

        await platform.SetCandidateWeightAsync(0, CancellationToken.None);
        await platform.SwitchAsync(Side.Candidate, CancellationToken.None);
        Assert.Equal(100, (await platform.ObserveAsync(CancellationToken.None)).TrafficShare(Side.Candidate));
        Assert.Equal(new Dictionary<string, int> { ["v2"] = 20 }, await upstreams.SendAsync(address, 20));
    }

    [Fact]
    public async Task Error_rate_of_a_faulty_candidate_measures_about_a_half_and_no_data_without_requests()
    {
        await using var upstreams = await Upstreams.StartAsync(
            stable: 1, candidate: 1, candidateOptions: new SampleAppOptions { Version = "v2", FaultRate = 0.5, Seed = 3 });
        await using var platform = await StartAsync(upstreams);

        var before = await platform.MeasureAsync(PlatformMetric.ErrorRate, Side.Candidate, Window, CancellationToken.None);
        await platform.SwitchAsync(Side.Candidate, CancellationToken.None);
        await upstreams.SendAsync(new Uri(platform.Target), 200);
        var errorRate = await platform.MeasureAsync(PlatformMetric.ErrorRate, Side.Candidate, Window, CancellationToken.None);
        var requests = await platform.MeasureAsync(PlatformMetric.Requests, Side.Candidate, Window, CancellationToken.None);
        var latency = await platform.MeasureAsync(PlatformMetric.LatencyP95Ms, Side.Candidate, Window, CancellationToken.None);
        var stable = await platform.MeasureAsync(PlatformMetric.ErrorRate, Side.Stable, Window, CancellationToken.None);

        Assert.Null(before.Value);
        Assert.Equal(0, before.Samples);
        Assert.InRange(errorRate.Value!.Value, 0.4, 0.6);
        Assert.Equal(200, errorRate.Samples);
        Assert.Equal(200, requests.Value);
        Assert.True(latency.Value > 0);
        Assert.Null(stable.Value);
    }

    [Fact]
    public async Task A_rolling_update_through_the_updater_fails_no_request_and_marks_targets_updated()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 0);
        var apps = upstreams.Stable.ToDictionary(a => a.Url);
        await using var platform = await StartAsync(upstreams, (target, toPrevious, ct) =>
            apps[target.Address].RestartAsync(apps[target.Address].Options with { Version = toPrevious ? "v1" : "v2" }, ct));
        var updater = Assert.IsAssignableFrom<ITargetUpdater>(platform);
        await using var traffic = new TrafficGenerator(new Uri(platform.Target), new TrafficGeneratorOptions { Delay = TimeSpan.FromMilliseconds(2) }, TimeProvider.System);
        traffic.Start();

        foreach (var id in new[] { "stable-1", "stable-2" })
        {
            await platform.DeregisterAsync([id], CancellationToken.None);
            await UntilAsync(platform, id, TargetHealth.Unused);
            await updater.UpdateAsync([id], toPrevious: false, CancellationToken.None);
            await platform.RegisterAsync([id], CancellationToken.None);
            await UntilAsync(platform, id, TargetHealth.Healthy);
        }

        var atEnd = traffic.Report().Sent;
        await Poll.UntilAsync(() => traffic.Report().Sent > atEnd + 50, "traffic reaches the updated targets");
        var report = await traffic.StopAsync(CancellationToken.None);
        Assert.True(report.Failed == 0, $"{report.Failed} of {report.Sent} failed: {string.Join("; ", report.FirstFailures)}");
        Assert.True(report.For("v2") >= 50);
        Assert.All((await platform.ObserveAsync(CancellationToken.None)).Targets, t => Assert.True(t.Updated));
    }

    [Fact]
    public async Task Updating_to_previous_clears_the_updated_mark_and_health_is_proven_again()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 1, candidate: 0);
        var calls = new List<(string Id, bool ToPrevious)>();
        await using var platform = await StartAsync(upstreams, (target, toPrevious, _) =>
        {
            lock (calls)
            {
                calls.Add((target.Id, toPrevious));
            }

            return Task.CompletedTask;
        });
        var updater = (ITargetUpdater)platform;

        await updater.UpdateAsync(["stable-1"], toPrevious: false, CancellationToken.None);
        var updated = (await platform.ObserveAsync(CancellationToken.None)).Find("stable-1")!;
        await updater.UpdateAsync(["stable-1"], toPrevious: true, CancellationToken.None);

        Assert.True(updated.Updated);
        Assert.Equal(TargetHealth.Initial, updated.Health);
        Assert.False((await platform.ObserveAsync(CancellationToken.None)).Find("stable-1")!.Updated);
        Assert.Equal([("stable-1", false), ("stable-1", true)], calls);
    }

    [Fact]
    public async Task Targets_an_update_hook_brought_to_the_new_version_count_as_candidate_in_snapshot_and_metrics()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 0);
        await using var platform = await StartAsync(upstreams);
        var address = new Uri(platform.Target);

        await platform.RecordUpdatedAsync(["stable-1"], updated: true, CancellationToken.None);
        await upstreams.SendAsync(address, 20);
        var snapshot = await platform.ObserveAsync(CancellationToken.None);
        var candidate = await platform.MeasureAsync(PlatformMetric.Requests, Side.Candidate, Window, CancellationToken.None);

        Assert.True(snapshot.Find("stable-1")!.Updated);
        Assert.False(snapshot.Find("stable-2")!.Updated);
        Assert.Equal(10, candidate.Value);
    }

    [Fact]
    public async Task Without_an_updater_the_platform_does_not_offer_target_updates()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 1, candidate: 0);
        await using var platform = await StartAsync(upstreams);

        Assert.IsNotAssignableFrom<ITargetUpdater>(platform);
        Assert.Equal(
            PlatformCapabilities.WeightedSplit | PlatformCapabilities.TrafficSwitch | PlatformCapabilities.TargetPool
                | PlatformCapabilities.Metrics | PlatformCapabilities.DeploymentStore | PlatformCapabilities.PreviewRoute,
            platform.Capabilities());
    }

    [Fact]
    public async Task An_unknown_target_is_refused_naming_the_known_ones_and_nothing_changes()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 2, candidate: 0);
        await using var platform = await StartAsync(upstreams);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => platform.DeregisterAsync(["stable-1", "stable-9"], CancellationToken.None));

        Assert.Contains("'stable-9'", error.Message);
        Assert.Contains("stable-1, stable-2", error.Message);
        Assert.True((await platform.ObserveAsync(CancellationToken.None)).Find("stable-1")!.Registered);
    }

    [Fact]
    public async Task The_lease_and_journal_live_in_the_state_directory()
    {
        await using var upstreams = await Upstreams.StartAsync(stable: 1, candidate: 0);
        await using var platform = await StartAsync(upstreams);

        var lease = await platform.TryAcquireLeaseAsync(new Lease("d-1", "me", DateTimeOffset.UtcNow.AddMinutes(5)), CancellationToken.None);

        Assert.True(lease.Acquired);
        Assert.True(File.Exists(Path.Combine(_stateDirectory, "lease.json")));
        Assert.Null(await platform.ReadJournalAsync(CancellationToken.None));
    }

    private static Task UntilAsync(LocalPlatform platform, string id, TargetHealth health) =>
        Poll.UntilAsync(async () => (await platform.ObserveAsync(CancellationToken.None)).Find(id)!.Health == health, $"{id} is {health}");

    private async Task<LocalPlatform> StartAsync(Upstreams upstreams, LocalTargetUpdater? updater = null)
    {
        var spec = new LocalPlatformOptions
        {
            Listen = "127.0.0.1:0",
            Stable = new UpstreamGroupSpec { Version = "v1", Targets = [.. upstreams.Stable.Select(a => a.Url.ToString())] },
            Candidate = upstreams.Candidate.Count == 0 ? null : new UpstreamGroupSpec { Version = "v2", Targets = [.. upstreams.Candidate.Select(a => a.Url.ToString())] },
            HealthCheck = Upstreams.FastHealth,
            DrainTimeout = TimeSpan.FromSeconds(2),
            StateDirectory = _stateDirectory,
        };
        var platform = await LocalPlatform.StartAsync(spec, TimeProvider.System, updater, CancellationToken.None);
        await Poll.UntilAsync(
            async () => (await platform.ObserveAsync(CancellationToken.None)).Targets.All(t => t.Health == TargetHealth.Healthy),
            "every target is healthy");
        return platform;
    }
}
