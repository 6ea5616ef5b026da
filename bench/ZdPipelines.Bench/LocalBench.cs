using ZdPipelines.Cli;
using System.Diagnostics;

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
                ZdpModules.All,
                new NoHooks(),
                _ => { },
                _ => { },
                cancellationToken);
            rows.Add(new Row(strategy, false, report.Result.Outcome.ToString(), report.Traffic.Sent, report.Traffic.Failed, clock.Elapsed, report.Result.Reason));
        }

        return rows;
    }

    private sealed class NoHooks : IHookRunner
    {
        public Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken) => Task.FromResult(new HookResult(0, ""));
    }
}
