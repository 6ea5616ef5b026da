using System.Diagnostics;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Local.Demo;

namespace ZdPipelines.Bench;

/// <summary>Each strategy through the real local proxy under synthetic load: requests sent and failed.</summary>
internal static class LocalBench
{
    public sealed record Row(string Strategy, bool Faulty, string Outcome, long Sent, long Failed, TimeSpan Took, string? Reason);

    public static async Task<IReadOnlyList<Row>> RunAsync(CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        foreach (var strategy in DemoDefaults.Strategies)
        {
            var clock = Stopwatch.StartNew();
            var report = await DemoRunner.RunAsync(
                new DemoOptions { Strategy = strategy },
                [new ProbeSource()],
                new NoHooks(),
                _ => { },
                _ => { },
                cancellationToken);
            rows.Add(new Row(strategy, false, report.Result.Outcome.ToString(), report.Traffic.Sent, report.Traffic.Failed, clock.Elapsed, report.Result.Reason));
        }

        return rows;
    }

    /// <summary>The demo's blue-green smoke gate probes the preview listener; a plain GET per probe.</summary>
    private sealed class ProbeSource : IGateSource
    {
        private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(5) };

        public string Kind => "http";

        public async Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken)
        {
            var ok = 0;
            for (var i = 0; i < gate.Http!.Probes; i++)
            {
                using var response = await Client.GetAsync(new Uri(context.Expand(gate.Http.Url)), cancellationToken);
                ok += (int)response.StatusCode == gate.Http.ExpectStatus ? 1 : 0;
            }

            return new Measurement((double)ok / gate.Http.Probes, gate.Http.Probes);
        }
    }

    private sealed class NoHooks : IHookRunner
    {
        public Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken) => Task.FromResult(new HookResult(0, ""));
    }
}
