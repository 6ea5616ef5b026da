using ZdPipelines.Platforms.Local.Samples;

namespace ZdPipelines.Platforms.Local.Tests.Samples;

public sealed class TrafficGeneratorTests
{
    [Fact]
    public async Task It_counts_answers_by_version()
    {
        await using var app = new SampleApp(new SampleAppOptions { Version = "v3" }, TimeProvider.System);
        await app.StartAsync(CancellationToken.None);
        await using var traffic = new TrafficGenerator(app.Url, new TrafficGeneratorOptions { Concurrency = 2 }, TimeProvider.System);

        traffic.Start();
        await Poll.UntilAsync(() => traffic.Report().Sent >= 20, "20 requests are sent");
        var report = await traffic.StopAsync(CancellationToken.None);

        Assert.Equal(0, report.Failed);
        Assert.Equal(report.Sent, report.For("v3"));
    }

    [Fact]
    public async Task It_counts_error_answers_and_refused_connections_as_failed()
    {
        await using var faulty = new SampleApp(new SampleAppOptions { FaultRate = 1 }, TimeProvider.System);
        await faulty.StartAsync(CancellationToken.None);
        await using var gone = new SampleApp(new SampleAppOptions(), TimeProvider.System);
        await gone.StartAsync(CancellationToken.None);
        await gone.StopAsync(CancellationToken.None);

        foreach (var address in new[] { faulty.Url, gone.Url })
        {
            await using var traffic = new TrafficGenerator(address, new TrafficGeneratorOptions { Concurrency = 1 }, TimeProvider.System);
            traffic.Start();
            await Poll.UntilAsync(() => traffic.Report().Sent >= 5, "5 requests are sent");
            var report = await traffic.StopAsync(CancellationToken.None);

            Assert.Equal(report.Sent, report.Failed);
            Assert.Empty(report.ByVersion);
            Assert.NotEmpty(report.FirstFailures);
        }
    }
}
