using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Platforms.Aws.Gates;
using ZdPipelines.Platforms.Aws.Tests.Alb;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Gates;

/// <summary>
/// What `minSamples` counts for the CloudWatch presets: the requests wherever the value is made of requests (the 5xx
/// rate, the request count), so `minSamples: 20` means at least 20 requests for both; data points otherwise.
/// </summary>
public sealed class CloudWatchSamplesTests(MotoServer moto) : AlbTestBed(moto)
{
    [Fact]
    public async Task The_5xx_rate_and_the_request_count_both_count_requests_as_their_samples()
    {
        await PutAlbMetricsAsync(Alb.GreenArn, requests: 12, errors: 3);
        var spec = Spec("""
            strategy:
              canary:
                steps: [ { setWeight: 10 }, { gate: rate }, { gate: count } ]
            gates:
              - { name: rate, cloudWatch: { preset: targetGroup5xxRate, side: candidate, window: 5m }, condition: "< 0.5", minSamples: 20 }
              - { name: count, cloudWatch: { preset: requestCount, side: candidate, window: 5m }, condition: "> 0", minSamples: 20 }

            """);
        var source = new CloudWatchGateSource(CloudWatch, Platform(spec), TimeProvider.System);
        var context = new GateContext(Side.Candidate, null, null, "test");

        var rate = await source.MeasureAsync(spec.FindGate("rate")!, context, CancellationToken.None);
        var count = await source.MeasureAsync(spec.FindGate("count")!, context, CancellationToken.None);

        Assert.Equal((0.25, 12), (rate.Value, rate.Samples));
        Assert.Equal((12.0, 12), (count.Value, count.Samples));
    }
}
