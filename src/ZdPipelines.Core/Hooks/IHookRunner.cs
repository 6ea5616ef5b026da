using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Hooks;

/// <summary>Runs a user hook (a command). The process runner is an adapter; the core only sees the result.</summary>
public interface IHookRunner
{
    Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken);
}

/// <summary>What a hook is told: the deployment, the targets (ZDP_TARGETS), whether it is a rollback.</summary>
public sealed record HookContext(string DeploymentId, IReadOnlyList<string> Targets, bool Rollback, string? Address, string? PreviewAddress);

public sealed record HookResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}
