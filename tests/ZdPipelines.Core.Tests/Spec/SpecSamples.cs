namespace ZdPipelines.Core.Tests.Spec;

/// <summary>Valid specs that the mistake tests alter one line at a time, so expected line numbers stay readable.</summary>
internal static class SpecSamples
{
    /// <summary>Canary on the local platform. Line numbers matter: the mistake tests refer to them.</summary>
    public const string Canary = """
        name: shop-api
        platform:
          type: local
          local:
            listen: 127.0.0.1:8080
            stable: { version: v1, targets: [http://127.0.0.1:5001] }
            candidate: { version: v2, targets: [http://127.0.0.1:5003] }
            healthCheck: { path: /healthz, interval: 1s, timeout: 800ms }
            drainTimeout: 5s
        strategy:
          canary:
            steps:
              - setWeight: 10
              - pause: 30s
              - gate: error-rate
              - setWeight: 100
        gates:
          - name: error-rate
            metrics: { metric: errorRate, side: candidate, window: 30s }
            condition: "< 0.05"
            interval: 10s
            count: 3
            failureLimit: 0
          - name: smoke
            http: { url: "{address}/healthz", probes: 5, expectStatus: 200 }
            condition: ">= 0.99"
        hooks:
          postPromote: [ { name: notify, run: "./notify.sh", timeout: 1m } ]
        rollback:
          automatic: true
          onInconclusive: rollback
        timeouts:
          healthy: 5m
          total: 1h

        """;

    /// <summary>Rolling on the simulated platform.</summary>
    public const string Rolling = """
        name: shop-api
        platform:
          type: simulated
          simulated: { stableTargets: 6, candidateTargets: 0 }
        strategy:
          rolling:
            batchSize: 2
            maxUnavailable: 1
            maxSurge: 1
            updateHook: update
            gates: [error-rate]
        gates:
          - name: error-rate
            metrics: { metric: errorRate, side: stable }
            condition: "< 0.05"
        hooks:
          update: [ { name: update, run: "./update.sh", timeout: 2m } ]
          preSwitch: [ { name: smoke, run: "./smoke.sh" } ]

        """;

    /// <summary>Blue-green on the local platform.</summary>
    public const string BlueGreen = """
        name: shop-api
        platform:
          type: local
          local:
            stable: { version: blue, targets: [http://127.0.0.1:5001] }
            candidate: { version: green, targets: [http://127.0.0.1:5002] }
        strategy:
          blueGreen:
            preSwitchGates: [smoke]
            postSwitchGates: [error-rate]
            bake: 1m
        gates:
          - name: smoke
            http: { url: "{preview}/healthz" }
            condition: ">= 1"
          - name: error-rate
            metrics: { metric: errorRate }
            condition: "< 0.05"

        """;

    /// <summary>The sample with each (find, replace) pair applied once; fails the test when a find is absent.</summary>
    public static string With(string sample, params (string Find, string Replace)[] edits)
    {
        foreach (var (find, replace) in edits)
        {
            var at = sample.IndexOf(find, StringComparison.Ordinal);
            Assert.True(at >= 0, $"the sample has no '{find}'");
            sample = string.Concat(sample.AsSpan(0, at), replace, sample.AsSpan(at + find.Length));
        }

        return sample;
    }
}
