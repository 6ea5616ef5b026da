using ZdPipelines.Core.Engine;

namespace ZdPipelines.Hosting;

/// <summary>
/// What `zdp` exits with. CI scripts branch on these, so they are a public contract (docs/cli.md):
/// a value never changes meaning once released.
/// </summary>
public static class ExitCodes
{
    /// <summary>The deployment was promoted, or the command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>A gate failed, a wait timed out or `zdp abort` was used: the starting state was restored.</summary>
    public const int RolledBack = 1;

    /// <summary>The spec or the command line is invalid, a resource it names does not exist, or there is nothing to act on; nothing was changed.</summary>
    public const int InvalidInput = 2;

    /// <summary>The platform failed, or the rollback could not finish: the state is left for a human (`zdp status`).</summary>
    public const int PlatformError = 3;

    /// <summary>Ctrl+C or SIGTERM: the deployment was rolled back, or nothing had been changed yet.</summary>
    public const int Cancelled = 4;

    /// <summary>Not started: another deployment holds the target, or the platform is not shaped to run the strategy.</summary>
    public const int Refused = 5;

    /// <summary>The exit code for how a deployment ended.</summary>
    public static int For(DeploymentOutcome outcome) => outcome switch
    {
        DeploymentOutcome.Promoted => Success,
        DeploymentOutcome.RolledBack => RolledBack,
        DeploymentOutcome.Cancelled => Cancelled,
        DeploymentOutcome.Refused => Refused,
        _ => PlatformError,
    };
}
