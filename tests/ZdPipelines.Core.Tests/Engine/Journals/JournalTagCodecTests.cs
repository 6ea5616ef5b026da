using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Engine.Journals;

namespace ZdPipelines.Core.Tests.Engine.Journals;

public sealed class JournalTagCodecTests
{
    [Fact]
    public void Numbered_targets_are_written_as_runs_and_read_back_exactly()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"10.0.{i / 250}.{(i % 250) + 1}:8080").Append("i-0abc000000000001:80").Append("10.0.9.7").ToList();

        var text = TargetIdRuns.Encode(ids);

        Assert.Equal("10.0.0.1:8080*250,10.0.1.1:8080*250,10.0.2.1:8080*250,10.0.3.1:8080*250,10.0.9.7,i-0abc000000000001:80", text);
        Assert.Equal(ids.Order(StringComparer.Ordinal), TargetIdRuns.Decode(text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_journal_of_a_thousand_numbered_targets_fits_in_tag_values_and_reads_back_without_its_plan()
    {
        var targets = Enumerable.Range(0, 1000).Select(i => new TargetStatus($"10.0.{i / 250}.{(i % 250) + 1}:8080", Side.Stable, true, TargetHealth.Healthy))
            .OrderBy(t => t.Id, StringComparer.Ordinal) // as ObserveAsync gives them
            .ToList();
        var journal = new Journal
        {
            DeploymentId = "shop-api-20261129120000-abc123",
            Service = "shop-api",
            Strategy = "rolling",
            Status = DeploymentStatus.Running,
            Plan = new DeploymentPlan("rolling", [new Register(["x"])], [], TimeSpan.Zero, []),
            StepsCompleted = 7,
            Start = new PlatformSnapshot { Targets = targets, Address = "http://lb.example", Timings = new PlatformTimings { DeregistrationDelay = TimeSpan.FromSeconds(300) } },
            StartedAt = DateTimeOffset.UnixEpoch,
            Reason = "gate 'x' failed",
        };

        var chunks = JournalTagCodec.Encode(journal, new Dictionary<string, string> { ["stable"] = "arn:tg/blue" });
        var (read, extras) = JournalTagCodec.Decode(i => i < chunks.Count ? chunks[i] : null)!.Value;

        Assert.All(chunks, c => Assert.True(c.Length <= JournalTagCodec.TagValueLength));
        Assert.True(chunks.Count <= 2, $"{chunks.Count} tags");
        Assert.Equal(journal.Start.Targets, read.Start.Targets);
        Assert.Equal(journal.Start.Timings, read.Start.Timings);
        Assert.Equal(journal with { Plan = read.Plan, Start = read.Start }, read);
        Assert.Empty(read.Plan.Steps);
        Assert.False(read.Plan.IsStored);
        Assert.Equal("arn:tg/blue", extras["stable"]);
    }
}
