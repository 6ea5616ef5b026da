using ZdPipelines.Gates;
using ZdPipelines.Cli.Hooks;
using ZdPipelines.Cli.Output;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Cli.Commands;

/// <summary>Wires the core engine to the CLI's adapters: gate sources, the process hook runner and the event renderer.</summary>
internal static class EngineSetup
{
    /// <summary>"build-agent-7/4242": written into the lease, so a refused deployment says which run holds the target.</summary>
    public static string Owner => $"{Environment.MachineName}/{Environment.ProcessId}";

    public static DeploymentEngine Create(IPlatform platform, IEventRenderer? renderer, TimeProvider time)
    {
        var gates = new GateEvaluator(GateSources.For(platform, time), time);
        var hooks = new ProcessHookRunner(renderer is null ? null : renderer.Output);
        var options = new EngineOptions { Owner = Owner };
        return new DeploymentEngine(platform, gates, hooks, time, options, renderer is null ? null : renderer.Render);
    }
}
