using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Alb;

/// <summary>
/// The AWS calls a deployment makes, counted per action against moto_server: ELBv2 throttles per account and region,
/// shared with the user's other tools, so a poll must not read what cannot have changed, and a pause must not write.
/// </summary>
public sealed class AlbApiBudgetTests(MotoServer moto) : AlbTestBed(moto)
{
    [Fact]
    public async Task Rolling_reads_the_listener_once_and_the_journal_twice_and_writes_the_journal_after_each_change()
    {
        await Elb.RegisterTargetsAsync(new() { TargetGroupArn = Alb.BlueArn, Targets = [.. Enumerable.Range(3, 4).Select(i => new TargetDescription { Id = $"i-0b1e00000000000{i}", Port = 8080 })] });
        var spec = Spec("""
            strategy:
              rolling: { batchSize: 2, maxUnavailable: 2, updateHook: update }
            hooks:
              update: [ { name: update, run: ./update.sh } ]

            """, twoGroups: false);
        var elb = Factory.CreateElbV2Client();
        var platform = Platform(spec, elb);
        var plan = await PlanAsync(spec, platform);
        elb.Counter.Reset();
        var engine = new DeploymentEngine(platform, new GateEvaluator([], TimeProvider.System), new RecordingHooks(), TimeProvider.System,
            FastEngine with { SignalPoll = TimeSpan.FromHours(1) });

        var result = await engine.DeployAsync(spec, plan, "digest-1", CancellationToken.None);

        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        var calls = elb.Counter;
        // Three batches of two: each polled to drained and to healthy, with the forward read once when the run took the lease.
        Assert.True(calls.Calls("DescribeTargetHealth") >= 6, $"{calls.Calls("DescribeTargetHealth")} DescribeTargetHealth");
        Assert.Equal(1, calls.Calls("DescribeListeners"));
        // The journal before the lease is taken and once under it; no read before a write.
        Assert.Equal(2, calls.Calls("DescribeTags"));
        // At the start, after each deregister, update hook and register (3 × 3), and the outcome.
        Assert.Equal(1 + (3 * 3) + 1, calls.Calls("AddTags"));
        Assert.Equal(3, calls.Calls("DeregisterTargets"));
        Assert.Equal(3, calls.Calls("RegisterTargets"));
    }

    [Fact]
    public async Task A_paused_canary_writes_nothing_but_lease_renewals_and_reads_the_tags_once_per_signal_poll()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var spec = Spec("""
            strategy:
              canary:
                steps: [ { setWeight: 30 }, { pause: untilPromote } ]

            """);
        var elb = Factory.CreateElbV2Client();
        var platform = PlatformFor(spec, elb, time, MotoLimits, CloudWatch);
        var plan = await PlanAsync(spec, platform);
        var engine = new DeploymentEngine(platform, new GateEvaluator([], time), new RecordingHooks(), time, FastEngine);
        var deploy = engine.DeployAsync(spec, plan, "digest-1", CancellationToken.None);
        var elsewhere = Engine(Platform(spec));
        for (var i = 0; i < 400 && (await elsewhere.ReadJournalAsync(CancellationToken.None))?.Status != DeploymentStatus.Paused; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(10);
        }

        Assert.Equal("blue=70,green=30", (await StateAsync()).Serving);
        var journal = JournalTags(await TagsAsync(Alb.ListenerArn));
        elb.Counter.Reset();

        // Ten minutes of pause, a second at a time.
        for (var second = 0; second < 600; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(2);
        }

        var calls = elb.Counter;
        Assert.Equal(journal, JournalTags(await TagsAsync(Alb.ListenerArn)));
        Assert.Equal(0, calls.Calls("ModifyListener") + calls.Calls("RemoveTags") + calls.Calls("DescribeListeners") + calls.Calls("DescribeTargetHealth"));
        // Every write is a lease renewal: one per quarter lease (30 s), twenty in ten minutes.
        Assert.InRange(calls.Calls("AddTags"), 1, 21);
        Assert.Equal(calls.Calls("AddTags"), calls.TotalCalls - calls.Calls("DescribeTags"));
        // One DescribeTags per 5 s signal poll: 120 in ten minutes.
        Assert.InRange(calls.Calls("DescribeTags"), 1, 121);

        Assert.NotNull((await elsewhere.RequestPromoteAsync(spec, CancellationToken.None)).Journal);
        // `zdp promote` wrote its own tag and left the journal as the running deployment wrote it.
        var afterPromote = await TagsAsync(Alb.ListenerArn);
        Assert.Equal(journal, JournalTags(afterPromote));
        Assert.Equal((await elsewhere.ReadJournalAsync(CancellationToken.None))!.DeploymentId, afterPromote.GetValueOrDefault(AlbTagStore.PromoteKey));
        for (var i = 0; i < 400 && !deploy.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }

        var result = await deploy.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DeploymentOutcome.Promoted, result.Outcome);
        Assert.Equal("green=1", (await StateAsync()).Serving);
        // The promote was taken: its tag is gone, so it cannot end a later pause.
        Assert.DoesNotContain(AlbTagStore.PromoteKey, (await TagsAsync(Alb.ListenerArn)).Keys);
    }

    private static Dictionary<string, string> JournalTags(IReadOnlyDictionary<string, string> tags) =>
        tags.Where(t => t.Key.StartsWith(AlbTagStore.JournalPrefix, StringComparison.Ordinal)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
}
