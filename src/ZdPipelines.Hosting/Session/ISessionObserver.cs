using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Hosting.Session;

/// <summary>
/// Watches a <see cref="DeploymentSession"/>: the terminal, a GitHub job summary, Deployments API statuses, Azure
/// DevOps logging commands. Every member has an empty default, so an observer implements only what it shows.
/// Calls come from the session's thread, hook output and lease warnings from others: implementations serialise.
/// </summary>
public interface ISessionObserver
{
    /// <summary>The spec could not be used; nothing was touched.</summary>
    void OnSpecRejected(string path, IReadOnlyList<SpecError> errors)
    {
    }

    /// <summary>The platform is open; <paramref name="notes"/> are what its module wants the user to know.</summary>
    void OnPlatformOpened(DeploymentSpec spec, IPlatform platform, IReadOnlyList<string> notes)
    {
    }

    /// <summary>The plan: in full for `plan`, before running it for `deploy`.</summary>
    void OnPlanned(PlanReport plan)
    {
    }

    /// <summary>The strategy cannot run on this platform as it is (a missing capability, no candidate).</summary>
    void OnPlanRefused(string service, IReadOnlyList<string> problems)
    {
    }

    void OnEvent(DeploymentEvent deploymentEvent)
    {
    }

    /// <summary>A line printed by a hook; <paramref name="source"/> names it.</summary>
    void OnHookOutput(string source, string line)
    {
    }

    void OnStatus(StatusReport status)
    {
    }

    /// <summary>`promote` or `abort` wrote its request into the journal.</summary>
    void OnSignalled(SignalReport signal)
    {
    }

    /// <summary>A problem for the user (stderr on a terminal): why a command did nothing, or what failed.</summary>
    void OnProblem(string message)
    {
    }

    /// <summary>Something worth saying that is not a problem ("already rolled back; nothing to do").</summary>
    void OnNotice(string message)
    {
    }

    void OnFinished(SessionOutcome outcome)
    {
    }
}

/// <summary>A plan as a host shows it.</summary>
/// <param name="Full">True for `zdp plan` (every detail); false for the brief before a deploy runs it.</param>
public sealed record PlanReport(DeploymentSpec Spec, IPlatform Platform, DeploymentPlan Plan, bool Full)
{
    /// <summary>The capabilities the plan exercises, read off its steps and its rollback.</summary>
    public IReadOnlyList<PlatformCapabilities> CapabilitiesUsed
    {
        get
        {
            var used = Plan.Steps.Concat(Plan.Rollback).Aggregate(PlatformCapabilities.None, (c, step) => c | step.Needs(Spec));
            if (Platform is IDeploymentStore)
            {
                used |= PlatformCapabilities.DeploymentStore;
            }

            return [.. Enum.GetValues<PlatformCapabilities>().Where(c => c != PlatformCapabilities.None && used.HasFlag(c))];
        }
    }
}

/// <summary>`zdp status`: the journalled deployment, who holds the lease, and the platform as observed now.</summary>
public sealed record StatusReport(DeploymentSpec Spec, IPlatform Platform, Journal? Journal, Lease? Lease, PlatformSnapshot Observed);

/// <summary>What `promote` or `abort` did: the journal it wrote its request into.</summary>
public sealed record SignalReport(SessionCommandKind Signal, Journal Journal);
