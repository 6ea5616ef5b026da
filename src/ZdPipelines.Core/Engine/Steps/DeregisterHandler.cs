using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>
/// Takes targets out only while enough others are healthy (the capacity floor holds even if one failed meanwhile),
/// then waits for their connections to drain.
/// </summary>
internal sealed class DeregisterHandler : StepHandler<Deregister>
{
    protected override async Task<StepResult> RunAsync(DeploymentRun run, Deregister step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        var leaving = step.Targets.ToHashSet(StringComparer.Ordinal);
        var stillIn = step.Targets.Where(id => before.Find(id) is { Registered: true }).ToList();
        if (stillIn.Count > 0)
        {
            var capacity = await run.WaitAsync(
                $"{step.MinHealthyAfter} healthy targets besides {string.Join(", ", stillIn)} before taking them out",
                s => s.Targets.Count(t => t.Registered && t.Health == TargetHealth.Healthy && !leaving.Contains(t.Id)) >= step.MinHealthyAfter,
                run.Spec.Timeouts.Healthy, TimeSpan.Zero, cancellationToken);
            if (capacity.Failure is not null)
            {
                return capacity;
            }

            run.EnsureHeld();
            await run.Require<ITargetPool>().DeregisterAsync(stillIn, cancellationToken);
        }

        return await run.WaitAsync($"drain {string.Join(", ", step.Targets)}",
            s => step.Targets.All(id => s.Find(id) is not { Health: TargetHealth.Draining } and not { Registered: true }),
            run.Spec.Timeouts.Drain, before.Timings.DeregistrationDelay, cancellationToken);
    }
}
