using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Steps;

/// <summary>
/// Waits a fixed time, or until `zdp promote` (at most timeouts.promote); looks for promote and abort every
/// <see cref="EngineOptions.SignalPoll"/> with one read of the store, and writes nothing while nothing changes: the
/// journal already says the pause started, and when (an untimed one also that it is paused). A resumed pause waits
/// only what is left.
/// </summary>
internal sealed class PauseHandler : StepHandler<Pause>
{
    protected override async Task<StepResult> RunAsync(DeploymentRun run, Pause step, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        var began = run.Journal.CurrentStepStartedAt ?? run.Now;
        var limit = step.Duration ?? run.Spec.Timeouts.Promote;
        var store = run.Engine.Journals.HasStore;
        if (step.Duration is null)
        {
            await run.UpdateJournalAsync(j => j with { Status = DeploymentStatus.Paused }, cancellationToken);
        }

        var polls = 0;
        while (true)
        {
            var elapsed = run.Now - began;
            // No call: a lease the background renewal lost ends the pause at once, not when it would have ended.
            run.EnsureHeld();
            if (store)
            {
                await run.LookForSignalsAsync(now: true, cancellationToken);
                if (run.Journal.AbortRequested)
                {
                    return StepResult.Fail("aborted by `zdp abort`");
                }

                if (run.Journal.PromoteRequested)
                {
                    await run.UpdateJournalAsync(j => j with { PromoteRequested = false, Status = DeploymentStatus.Running }, cancellationToken, keepSignals: false);
                    return StepResult.Done;
                }
            }

            if (elapsed >= limit)
            {
                return step.Duration is null
                    ? StepResult.Fail($"nobody ran `zdp promote` within timeouts.promote ({Durations.Format(run.Spec.Timeouts.Promote)})")
                    : StepResult.Done;
            }

            run.Emit(new Waiting(run.Now, step.Describe(), elapsed, polls++));
            // Check for promote/abort at most every few seconds; a plain pause with no store just sleeps.
            var wait = limit - elapsed;
            if (store && wait > run.Engine.Options.SignalPoll)
            {
                wait = run.Engine.Options.SignalPoll;
            }

            await Task.Delay(wait, run.Time, cancellationToken);
        }
    }
}
