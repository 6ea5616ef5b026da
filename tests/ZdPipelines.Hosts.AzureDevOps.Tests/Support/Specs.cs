using System.Globalization;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Support;

/// <summary>zdp.yml texts for the simulated platform, with durations short enough for a test.</summary>
internal static class Specs
{
    public static string Canary(double candidateErrorRate = 0) => $$"""
        name: shop
        platform:
          type: simulated
          simulated:
            stableTargets: 2
            candidateTargets: 2
            healthCheckInterval: 10ms
            healthyThreshold: 2
            deregistrationDelay: 20ms
            candidateErrorRate: {{candidateErrorRate.ToString(CultureInfo.InvariantCulture)}}
        strategy:
          canary:
            steps:
              - setWeight: 20
              - gate: error-rate
        gates:
          - name: error-rate
            metrics: { metric: errorRate }
            condition: "< 0.05"
            interval: 10ms
            count: 2
        """;
}
