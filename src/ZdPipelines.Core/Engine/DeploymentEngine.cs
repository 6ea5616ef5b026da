using ZdPipelines.Core.Engine.Steps;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Engine;

/// <summary>
/// Executes a plan step by step against a platform: applies the desired state, waits for it with
/// adaptive polling on the injected clock, runs gates and hooks, journals every step through the
/// platform's store, and on a failed gate, a timeout, an abort or a cancellation restores the
/// starting state it recorded. Each call is one run (<see cref="DeploymentRun"/>); the engine keeps no
/// state of its own between them. Step kinds are executed by their handlers in Steps/, the lease by
/// <see cref="LeaseKeeper"/>, the journal by <see cref="JournalKeeper"/>.
/// </summary>
public sealed class DeploymentEngine
{
    private readonly EngineContext _engine;

    public DeploymentEngine(IPlatform platform, GateEvaluator gates, IHookRunner hooks, TimeProvider time, EngineOptions? options = null, Action<DeploymentEvent>? events = null)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var store = platform as IDeploymentStore;
        var engineOptions = options ?? new EngineOptions();
        _engine = new EngineContext(platform, store, gates, hooks, time, engineOptions, events ?? (_ => { }), new JournalKeeper(platform, store, time, engineOptions.Redact));
    }

    private TimeProvider Time => _engine.Time;

    /// <summary>
    /// Starts a deployment. When a run of the same spec died part-way (its lease expired), this resumes it
    /// instead of starting over, so a re-run converges; any other unfinished deployment refuses.
    /// </summary>
    public async Task<DeploymentResult> DeployAsync(DeploymentSpec spec, DeploymentPlan plan, string? specDigest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        var started = Time.GetUtcNow();
        var lease = _engine.NewLease();
        if (await _engine.Journals.ReadAsync(spec, cancellationToken) is { } previous && IsUnfinished(previous.Status))
        {
            if (specDigest is not null && previous.SpecDigest == specDigest && await lease.TryAcquireAsync(previous.DeploymentId, cancellationToken) is null)
            {
                var run = new DeploymentRun(_engine, spec, previous, lease);
                return previous.Status == DeploymentStatus.RollingBack
                    ? await RollBackAsync(run, previous.Reason ?? "resumed rollback", DeploymentOutcome.RolledBack, started, RollbackWindow.Requested(Time, _engine.Options, cancellationToken))
                    : await DriveAsync(run, resumed: true, cancellationToken);
            }

            var holder = await lease.TryAcquireAsync(previous.DeploymentId, cancellationToken);
            return await RefuseAsync(lease, previous.DeploymentId, started, holder is null ? DeploymentRefusal.Unfinished : DeploymentRefusal.Held, holder
                ?? $"an unfinished deployment {previous.DeploymentId} of '{previous.Service}' stopped at step {previous.StepsCompleted + 1} of {previous.Plan.Steps.Count} ({previous.Status}). Fix: run `zdp resume` to finish it or `zdp rollback` to undo it, then deploy again.");
        }

        var id = NewDeploymentId(spec);
        if (await lease.TryAcquireAsync(id, cancellationToken) is { } refusal)
        {
            return await RefuseAsync(lease, id, started, DeploymentRefusal.Held, refusal);
        }

        Journal journal;
        PlatformSnapshot start;
        DateTimeOffset observedAt;
        try
        {
            start = await _engine.Platform.ObserveAsync(cancellationToken);
            observedAt = Time.GetUtcNow();
            journal = new Journal
            {
                DeploymentId = id,
                Service = spec.Name,
                Strategy = plan.Strategy,
                Status = DeploymentStatus.Running,
                Plan = plan,
                Start = start,
                StartedAt = started,
                UpdatedAt = started,
                SpecDigest = specDigest,
                // The first step starts now: this write records it, so the first step needs no write of its own.
                CurrentStepStartedAt = started,
            };
            await _engine.Journals.WriteAsync(journal, cancellationToken);
        }
        catch
        {
            // Nothing was changed yet: what this run took, it gives back, so the next run need not wait for the lease to lapse.
            await lease.ReleaseAsync(id);
            throw;
        }

        var fresh = new DeploymentRun(_engine, spec, journal, lease);
        fresh.Observed(start, observedAt);
        return await DriveAsync(fresh, resumed: false, cancellationToken);
    }

    /// <summary>Continues the journalled deployment from the step it reached (or its rollback, if one was under way).</summary>
    public async Task<DeploymentResult> ResumeAsync(DeploymentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var started = Time.GetUtcNow();
        var lease = _engine.NewLease();
        var journal = await _engine.Journals.ReadAsync(spec, cancellationToken);
        if (journal is null || !IsUnfinished(journal.Status))
        {
            return await RefuseAsync(lease, journal?.DeploymentId ?? "-", started, DeploymentRefusal.NothingToActOn, journal is null
                ? $"there is no deployment of {spec.Name} on {_engine.Platform.Target} to resume. Fix: start one with `zdp deploy`."
                : $"deployment {journal.DeploymentId} already ended ({Words(journal.Status)}); there is nothing to resume. Fix: `zdp deploy` starts a new one.");
        }

        if (OtherService(spec, journal) is { } other)
        {
            return await RefuseAsync(lease, journal.DeploymentId, started, DeploymentRefusal.OtherService, other);
        }

        if (await lease.TryAcquireAsync(journal.DeploymentId, cancellationToken) is { } refusal)
        {
            return await RefuseAsync(lease, journal.DeploymentId, started, DeploymentRefusal.Held, refusal);
        }

        var run = new DeploymentRun(_engine, spec, journal, lease);
        return journal.Status == DeploymentStatus.RollingBack
            ? await RollBackAsync(run, journal.Reason ?? "resumed rollback", DeploymentOutcome.RolledBack, started, RollbackWindow.Requested(Time, _engine.Options, cancellationToken))
            : await DriveAsync(run, resumed: true, cancellationToken);
    }

    /// <summary>
    /// Restores the journalled starting state: for an unfinished deployment (after a crash), or for a
    /// finished blue-green one while its previous side is still kept.
    /// </summary>
    public async Task<DeploymentResult> RollbackAsync(DeploymentSpec spec, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var started = Time.GetUtcNow();
        var lease = _engine.NewLease();
        var journal = await _engine.Journals.ReadAsync(spec, cancellationToken);
        if (journal is null)
        {
            return await RefuseAsync(lease, "-", started, DeploymentRefusal.NothingToActOn, $"there is no journalled deployment of {spec.Name} on {_engine.Platform.Target} to roll back. Fix: check `zdp status`.");
        }

        if (OtherService(spec, journal) is { } other)
        {
            return await RefuseAsync(lease, journal.DeploymentId, started, DeploymentRefusal.OtherService, other);
        }

        if (journal.Status == DeploymentStatus.RolledBack)
        {
            return await RefuseAsync(lease, journal.DeploymentId, started, DeploymentRefusal.AlreadyDone, $"deployment {journal.DeploymentId} is already rolled back; nothing to do.");
        }

        if (journal.Status == DeploymentStatus.Succeeded && !(journal.PreviousKeptUntil > started))
        {
            return await RefuseAsync(lease, journal.DeploymentId, started, DeploymentRefusal.NoLongerPossible, $"deployment {journal.DeploymentId} succeeded and its previous side is no longer kept" +
                (journal.PreviousKeptUntil is { } until ? $" (kept until {until:u})" : "") + ". Fix: deploy the previous version as a new deployment.");
        }

        if (await lease.TryAcquireAsync(journal.DeploymentId, cancellationToken) is { } refusal)
        {
            return await RefuseAsync(lease, journal.DeploymentId, started, DeploymentRefusal.Held, refusal);
        }

        return await RollBackAsync(new DeploymentRun(_engine, spec, journal, lease), reason, DeploymentOutcome.RolledBack, started, RollbackWindow.Requested(Time, _engine.Options, cancellationToken));
    }

    /// <summary>Asks the running deployment of <paramref name="spec"/>'s service to end its current pause (`zdp promote`).</summary>
    public Task<SignalResult> RequestPromoteAsync(DeploymentSpec spec, CancellationToken cancellationToken) =>
        SignalAsync(spec, "promote", DeploymentStatus.Succeeded, j => j with { PromoteRequested = true }, cancellationToken);

    /// <summary>Asks the running deployment of <paramref name="spec"/>'s service to roll back (`zdp abort`).</summary>
    public Task<SignalResult> RequestAbortAsync(DeploymentSpec spec, CancellationToken cancellationToken) =>
        SignalAsync(spec, "abort", DeploymentStatus.RolledBack, j => j with { AbortRequested = true }, cancellationToken);

    /// <summary>The journal as stored; its plan may be missing (<see cref="DeploymentPlan.IsStored"/>) when the store does not keep plans.</summary>
    public Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken) => _engine.Journals.ReadAsync(null, cancellationToken);

    /// <summary>The journal with its plan, rebuilt from <paramref name="spec"/> when the store does not keep plans.</summary>
    public Task<Journal?> ReadJournalAsync(DeploymentSpec spec, CancellationToken cancellationToken) => _engine.Journals.ReadAsync(spec, cancellationToken);

    private async Task<SignalResult> SignalAsync(DeploymentSpec spec, string signal, DeploymentStatus alreadyDone, Func<Journal, Journal> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var journal = await _engine.Journals.ReadAsync(null, cancellationToken);
        if (journal is not null && OtherService(spec, journal) is { } other)
        {
            return new SignalResult(journal, DeploymentRefusal.OtherService, other);
        }

        if (journal is not null && journal.Status == alreadyDone)
        {
            // What the signal asks for is already the end state: asking again is not a mistake.
            return new SignalResult(journal, DeploymentRefusal.AlreadyDone, $"deployment {journal.DeploymentId} is already {Words(alreadyDone)}; nothing to {signal}.");
        }

        if (journal is null || !IsUnfinished(journal.Status))
        {
            return new SignalResult(journal, DeploymentRefusal.NothingToActOn,
                $"there is no running deployment of {spec.Name} on {_engine.Platform.Target}: nothing to {signal}.");
        }

        var updated = change(journal);
        await _engine.Store!.WriteSignalsAsync(updated, cancellationToken);
        return new SignalResult(updated, DeploymentRefusal.None, null);
    }

    /// <summary>The journal on a target belongs to one service: a command naming another is refused, with both names.</summary>
    private string? OtherService(DeploymentSpec spec, Journal journal) => journal.Service == spec.Name ? null
        : $"the deployment on {_engine.Platform.Target} ({journal.DeploymentId}) is of service '{journal.Service}', but this spec is for '{spec.Name}'. " +
          $"Fix: run the command with the spec of '{journal.Service}', or give '{spec.Name}' a target of its own (the lease and journal are kept per target, and belong to the service that deploys there).";

    private async Task<DeploymentResult> DriveAsync(DeploymentRun run, bool resumed, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var began = Time.GetUtcNow();
        var plan = run.Journal.Plan;
        run.Emit(new DeploymentStarted(began, run.Journal.DeploymentId, plan.Strategy, plan.Steps.Count, resumed));
        run.Lease.StartRenewing();

        // The total timeout counts from the deployment's first start, not from this resume.
        var remaining = run.Journal.StartedAt + spec.Timeouts.Total - began;
        using var total = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, total.Token);
        var token = linked.Token;

        string? failure = null;
        var firstStep = run.Journal.StepsCompleted;
        try
        {
            for (var i = firstStep; i < plan.Steps.Count && failure is null; i++)
            {
                // The journal is written after each step that changed something (run.StepDoneAsync); that write also
                // records when the next step started. A resumed run first writes that it runs again.
                if (i == firstStep && resumed)
                {
                    await run.UpdateJournalAsync(j => j with
                    {
                        Status = DeploymentStatus.Running,
                        CurrentStepStartedAt = resumed && j.CurrentStepStartedAt is { } at ? at : Time.GetUtcNow(),
                    }, token);
                }

                await run.LookForSignalsAsync(now: false, token);
                if (run.Journal.AbortRequested)
                {
                    failure = "aborted by `zdp abort`";
                    break;
                }

                var step = plan.Steps[i];
                var stepStart = Time.GetUtcNow();
                run.Emit(new StepStarted(stepStart, i + 1, plan.Steps.Count, step.Describe(), false));
                var outcome = await ExecuteAsync(run, step, rollback: false, token);
                if (outcome.Failure is not null)
                {
                    failure = $"step {i + 1} ({step.Describe()}): {outcome.Failure}";
                    break;
                }

                run.Emit(outcome.Skipped
                    ? new StepSkipped(Time.GetUtcNow(), i + 1, plan.Steps.Count, step.Describe(), false)
                    : new StepCompleted(Time.GetUtcNow(), i + 1, plan.Steps.Count, step.Describe(), Time.GetUtcNow() - stepStart, false));
                await run.StepDoneAsync(plan.Steps, i, outcome, token);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await RollBackAsync(run, "cancelled (Ctrl+C / SIGTERM)", DeploymentOutcome.Cancelled, began, RollbackWindow.Cancelled(Time, _engine.Options));
        }
        catch (LeaseLostException e)
        {
            // Another run owns the target now: rolling back would be a second run acting at once.
            return await FinishAsync(run, DeploymentOutcome.Failed, e.Message, began);
        }
        catch (OperationCanceledException) when (total.IsCancellationRequested)
        {
            failure = $"the deployment exceeded timeouts.total ({Durations.Format(spec.Timeouts.Total)})";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failure = $"platform error: {e.Message}";
        }

        if (failure is not null)
        {
            if (!spec.Rollback.Automatic)
            {
                await run.UpdateJournalAsync(j => j with { Status = DeploymentStatus.Failed, Reason = failure + " (rollback.automatic is off: state left as is)" }, CancellationToken.None);
                return await FinishAsync(run, DeploymentOutcome.Failed, failure + ". rollback.automatic is off: the platform is left as it is; run `zdp rollback` to restore the starting state.", began);
            }

            return await RollBackAsync(run, failure, DeploymentOutcome.RolledBack, began, RollbackWindow.Requested(Time, _engine.Options, cancellationToken));
        }

        await run.UpdateJournalAsync(j => j with { Status = DeploymentStatus.Succeeded, Reason = null }, CancellationToken.None);
        await run.Lease.ReleaseAsync(run.Journal.DeploymentId);
        await RunNotificationHooksAsync(run, spec.Hooks.PostPromote, rollback: false, cancellationToken);
        return await FinishAsync(run, DeploymentOutcome.Promoted, null, began);
    }

    /// <summary>
    /// Restores the starting state. <paramref name="window"/> says when to stop early: at its hard end (the cancel budget)
    /// the call in flight is abandoned; at its soft stop (a second cancel, or a first one for a rollback a cancel did not
    /// start) the steps that restore capacity and traffic are finished and the rest is left in the journal. Either way
    /// the journal stays RollingBack, so `zdp rollback`, `zdp resume` or the same deploy again finishes it, and the lease
    /// is released so they can start at once.
    /// </summary>
    private async Task<DeploymentResult> RollBackAsync(DeploymentRun run, string reason, DeploymentOutcome outcome, DateTimeOffset began, RollbackWindow window)
    {
        using var _ = window;
        run.Emit(new RollbackStarted(Time.GetUtcNow(), reason));
        run.Lease.StartRenewing();
        var work = window.Work;
        var stepsDone = 0;
        IReadOnlyList<PlanStep> steps = [];
        try
        {
            // Cancelled: the move back is the first call, judged on what this run last saw (if no change was in flight since).
            var trafficFirst = window.StartedByCancel && run.ReuseLastObserved();
            var current = JournalledUpdates.OverlayForRollback(await run.ObserveAsync(work), run.Journal);
            steps = RollbackPlanner.Plan(run.Journal.Start, current, run.Spec);
            var urgent = RollbackPlanner.UrgentSteps(steps);
            var journalled = false;
            var changed = false;
            for (var i = 0; i < steps.Count; i++)
            {
                if (!journalled && !(trafficFirst && !changed))
                {
                    var completed = i;
                    await run.UpdateJournalAsync(j => j with { Status = DeploymentStatus.RollingBack, Reason = reason, RollbackSteps = steps, RollbackStepsCompleted = completed }, work);
                    journalled = true;
                }

                if (i >= urgent && window.StopRequested)
                {
                    return await StopShortAsync(run, reason, began, steps, i, trafficRestored: true);
                }

                var step = steps[i];
                var stepStart = Time.GetUtcNow();
                run.Emit(new StepStarted(stepStart, i + 1, steps.Count, step.Describe(), true));
                // Steps past the traffic move give way to a stop request; the move itself only to the hard end.
                using var stepToken = i >= urgent ? CancellationTokenSource.CreateLinkedTokenSource(work, window.Stop) : null;
                StepResult result;
                try
                {
                    result = await ExecuteAsync(run, step, rollback: true, stepToken?.Token ?? work);
                }
                catch (OperationCanceledException) when (window.StopRequested && !work.IsCancellationRequested)
                {
                    return await StopShortAsync(run, reason, began, steps, i, trafficRestored: true);
                }

                if (result.Failure is not null)
                {
                    // Stop rather than push on: the next step could move traffic onto a side that is not healthy.
                    var why = $"{reason}; then the rollback stopped at step {i + 1} ({step.Describe()}): {result.Failure}. The platform is left as it is; fix the cause and run `zdp rollback` again.";
                    await run.UpdateJournalAsync(j => j with { Status = DeploymentStatus.Failed, Reason = why, RollbackSteps = steps }, CancellationToken.None);
                    return await FinishAsync(run, DeploymentOutcome.Failed, why, began);
                }

                run.Emit(result.Skipped
                    ? new StepSkipped(Time.GetUtcNow(), i + 1, steps.Count, step.Describe(), true)
                    : new StepCompleted(Time.GetUtcNow(), i + 1, steps.Count, step.Describe(), Time.GetUtcNow() - stepStart, true));
                changed |= step is not WaitHealthy && !result.Skipped;
                stepsDone = i + 1;
                var done = stepsDone;
                if (journalled && DeploymentRun.Changed(step, result) && done < steps.Count)
                {
                    await run.UpdateJournalAsync(j => j with { RollbackStepsCompleted = done }, work);
                }
                else
                {
                    // Nothing changed, or the last step: the next write (at the latest the one that ends the rollback) records it.
                    run.Journal = run.Journal with { RollbackStepsCompleted = done };
                }
            }

            if (!journalled)
            {
                await run.UpdateJournalAsync(j => j with { Status = DeploymentStatus.RollingBack, Reason = reason, RollbackSteps = steps, RollbackStepsCompleted = stepsDone }, work);
            }
        }
        catch (LeaseLostException e)
        {
            // Another run owns the target now; its journal is not this run's to write.
            return await FinishAsync(run, DeploymentOutcome.Failed, $"{reason}; then the rollback stopped: {e.Message}", began);
        }
        catch (OperationCanceledException) when (work.IsCancellationRequested)
        {
            // The cancel budget ran out (the runner's kill is close): keep what is known, let the next run finish.
            return await StopShortAsync(run, reason, began, steps, stepsDone, steps.Count > 0 && stepsDone >= RollbackPlanner.UrgentSteps(steps), budgetSpent: true);
        }
        catch (Exception e)
        {
            var why = $"{reason}; then the rollback failed: {e.Message}. Run `zdp rollback` to try again.";
            try
            {
                await run.UpdateJournalAsync(j => j with { Status = DeploymentStatus.Failed, Reason = why }, CancellationToken.None);
            }
            catch (Exception bookkeeping) when (bookkeeping is not OutOfMemoryException)
            {
                // Best effort: the journal is bookkeeping; the outcome is already decided.
            }

            return await FinishAsync(run, DeploymentOutcome.Failed, why, began);
        }

        await run.UpdateJournalAsync(j => j with { Status = DeploymentStatus.RolledBack, Reason = reason, PreviousKeptUntil = null }, CancellationToken.None);
        await run.Lease.ReleaseAsync(run.Journal.DeploymentId);
        await RunNotificationHooksAsync(run, run.Spec.Hooks.PostRollback, rollback: true, CancellationToken.None);
        return await FinishAsync(run, outcome, reason, began);
    }

    /// <summary>
    /// Ends a rollback before its last step: the journal stays RollingBack with the steps done, the lease is released
    /// (this run is alive to say it is done acting), and the result says what is left and how to finish it.
    /// </summary>
    private async Task<DeploymentResult> StopShortAsync(DeploymentRun run, string reason, DateTimeOffset began, IReadOnlyList<PlanStep> steps, int stepsDone, bool trafficRestored, bool budgetSpent = false)
    {
        var left = steps.Count - stepsDone;
        var why = budgetSpent
            ? $"the rollback ran out of its cancel budget ({Durations.Format(_engine.Options.CancelRollbackBudget)})"
            : "a second cancel stopped the rollback";
        var state = trafficRestored ? "capacity and traffic are back where they started" : "traffic may not be fully back yet";
        var message = $"{reason}; {why} after {stepsDone} of {steps.Count} rollback steps: {state}; {left} step(s) are left in the journal. " +
            "Fix: run `zdp rollback` (or the same deploy again) to finish it.";
        // Best effort, without the spent token: this write and the release are what let the next run start at once.
        try
        {
            var done = stepsDone;
            // The journal keeps the rollback's own reason: RollingBack with steps left already says it is unfinished,
            // and the run that finishes it reports that reason, not this run's stop.
            await run.UpdateJournalAsync(j => j with { Status = DeploymentStatus.RollingBack, Reason = reason, RollbackSteps = steps, RollbackStepsCompleted = done }, CancellationToken.None);
            await run.Lease.ReleaseAsync(run.Journal.DeploymentId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            run.Emit(new Warning(run.Now, $"could not record where the rollback stopped ({e.Message}); the lease lapses by itself and `zdp rollback` starts from what it observes."));
        }

        return await FinishAsync(run, DeploymentOutcome.Cancelled, message, began);
    }

    /// <summary>Observes, skips a step whose effect is already in place, and hands the rest to the step's handler.</summary>
    private static async Task<StepResult> ExecuteAsync(DeploymentRun run, PlanStep step, bool rollback, CancellationToken cancellationToken)
    {
        run.EnsureHeld();
        var before = await run.ObserveAsync(cancellationToken);
        // A wait is never skipped: its handler's first poll returns at once when the state is already there.
        if (step is not WaitHealthy && step.IsInPlace(before))
        {
            return StepResult.AlreadyInPlace;
        }

        return await StepHandlers.For(step).RunAsync(run, step, before, rollback, cancellationToken);
    }

    private static async Task RunNotificationHooksAsync(DeploymentRun run, IReadOnlyList<HookSpec> hooks, bool rollback, CancellationToken cancellationToken)
    {
        foreach (var hook in hooks)
        {
            var outcome = await run.RunHookAsync(hook, [], run.Journal.Start, rollback, cancellationToken);
            if (outcome.Failure is not null)
            {
                run.Emit(new Warning(run.Now, outcome.Failure));
            }
        }
    }

    private async Task<DeploymentResult> FinishAsync(DeploymentRun run, DeploymentOutcome outcome, string? reason, DateTimeOffset began)
    {
        // Every way out passes here; a lease left held (a failure left for a human) then lapses by itself.
        await run.Lease.StopRenewingAsync();
        var took = Time.GetUtcNow() - began;
        var id = run.Journal.DeploymentId;
        run.Emit(new DeploymentFinished(Time.GetUtcNow(), id, outcome, reason, took, run.Polls));
        return new DeploymentResult(id, outcome, reason, [.. run.GateResults], run.Journal.StepsCompleted, took, run.Polls);
    }

    private async Task<DeploymentResult> RefuseAsync(LeaseKeeper lease, string id, DateTimeOffset began, DeploymentRefusal why, string reason)
    {
        await lease.StopRenewingAsync();
        var took = Time.GetUtcNow() - began;
        _engine.Emit(new DeploymentFinished(Time.GetUtcNow(), id, DeploymentOutcome.Refused, reason, took, 0));
        return new DeploymentResult(id, DeploymentOutcome.Refused, reason, [], 0, took, 0, why);
    }

    private string NewDeploymentId(DeploymentSpec spec) =>
        $"{spec.Name}-{Time.GetUtcNow():yyyyMMddHHmmss}-{_engine.Options.Random.Next(0x1000000):x6}";

    private static bool IsUnfinished(DeploymentStatus s) => s is DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.RollingBack;

    /// <summary>"rolledBack" → "rolled back", for sentences.</summary>
    private static string Words(DeploymentStatus status) =>
        string.Concat(status.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
