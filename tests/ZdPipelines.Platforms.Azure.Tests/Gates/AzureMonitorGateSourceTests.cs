using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Platforms.Azure.Gates;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.Gates;

/// <summary>The azureMonitor gate against the emulator, whose metrics are computed from the requests each slot served.</summary>
public sealed class AzureMonitorGateSourceTests
{
    private const string Gates = """
        strategy:
          blueGreen: { postSwitchGates: [errors], bake: 0s }
        gates:
          - { name: errors, azureMonitor: { preset: http5xxRate, side: candidate, window: 5m }, condition: "< 0.05", count: 2, interval: 30s, inconclusiveLimit: 1 }
          - { name: slot-requests, azureMonitor: { preset: requests, side: candidate }, condition: "> 0" }
          - { name: memory, azureMonitor: { metric: AverageMemoryWorkingSet, aggregation: average }, condition: "< 1000000000" }

        """;

    [Fact]
    public async Task A_post_swap_gate_counts_only_what_production_served_since_the_swap_not_the_previous_versions_errors()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        // The version in production before the deployment fails every request its clients send.
        bed.App.Production.ErrorRate = 1;
        var spec = bed.Spec(Gates);
        await using var traffic = bed.Traffic(cookies: false);
        await WaitUntilAsync(() => traffic.Failed > 20);

        var (result, _) = await bed.DeployAsync(spec, bed.Platform(spec));

        Assert.True(result.Outcome == DeploymentOutcome.Promoted, $"{result.Outcome}: {result.Reason}");
        var errors = result.Gates.Single(g => g.Gate == "errors");
        Assert.Equal(0, errors.LastValue);
        Assert.Contains("requests to production of web app 'shop-api' answered 5xx", errors.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slot_nobody_called_has_no_data_for_its_gate_to_judge()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(Gates);
        var source = new AzureMonitorGateSource(bed.Platform(spec), bed.Bed.Time);

        var measurement = await bed.Bed.DriveAsync(source.MeasureAsync(spec.FindGate("slot-requests")!, Context(), CancellationToken.None));

        Assert.Null(measurement.Value);
        Assert.Contains("Requests of slot 'staging' of web app 'shop-api' has no data points in the last 5m", measurement.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metric_azure_monitor_cannot_read_is_no_data_naming_the_metric_and_the_error()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var spec = bed.Spec(Gates);
        var source = new AzureMonitorGateSource(bed.Platform(spec), bed.Bed.Time);

        var measurement = await bed.Bed.DriveAsync(source.MeasureAsync(spec.FindGate("memory")!, Context(), CancellationToken.None));

        Assert.Null(measurement.Value);
        Assert.Contains("could not read AverageMemoryWorkingSet of slot 'staging' of web app 'shop-api': MetricNotFound", measurement.Detail, StringComparison.Ordinal);
    }

    private static GateContext Context() => new(Side.Candidate, null, null, "test");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
