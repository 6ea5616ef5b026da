using ZdPipelines.Gates.Shell;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Hosting.Hooks;

/// <summary>
/// Runs hooks as shell commands. The hook sees the deployment through ZDP_* variables and {address} /
/// {preview} placeholders, and its output is shown live (prefixed with the hook's name) as well as kept
/// for the engine's failure message. The engine's token carries the hook timeout and Ctrl+C; either kills
/// the hook's whole process tree.
/// </summary>
public sealed class ProcessHookRunner(Action<string, string>? onOutput = null) : IHookRunner
{
    public async Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken)
    {
        var run = Expand(hook.Run, context);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ZDP_TARGETS"] = string.Join(",", context.Targets),
            ["ZDP_DEPLOYMENT_ID"] = context.DeploymentId,
            ["ZDP_ROLLBACK"] = context.Rollback ? "1" : "0",
            ["ZDP_ADDRESS"] = context.Address ?? "",
            ["ZDP_PREVIEW_ADDRESS"] = context.PreviewAddress ?? "",
        };
        var result = await ShellCommand.RunAsync(run, environment, onOutput is null ? null : line => onOutput(hook.Name, line), cancellationToken);
        return new HookResult(result.ExitCode, result.Combined);
    }

    /// <summary>Same placeholders as gates; {preview} falls back to {address} on platforms without a preview listener.</summary>
    public static string Expand(string text, HookContext context) => text
        .Replace("{address}", context.Address ?? "", StringComparison.Ordinal)
        .Replace("{preview}", context.PreviewAddress ?? context.Address ?? "", StringComparison.Ordinal)
        .Replace("{deploymentId}", context.DeploymentId, StringComparison.Ordinal);
}
