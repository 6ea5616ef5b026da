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
/// starting state it recorded.
/// </summary>
public sealed class DeploymentEngine
{
    private readonly IPlatform _platform;
    private readonly IDeploymentStore? _store;
    private readonly GateEvaluator _gates;
    private readonly IHookRunner _hooks;
    private readonly TimeProvider _time;
    private readonly EngineOptions _options;
    private readonly Action<DeploymentEvent> _emit;
    private readonly List<GateResult> _gateResults = [];
    private int _polls;
    private DateTimeOffset _leaseRenewedAt;

    public DeploymentEngine(IPlatform platform, GateEvaluator gates, IHookRunner hooks, TimeProvider time, EngineOptions? options = null, Action<DeploymentEvent>? events = null)
    {
        _platform = platform;
        _store = platform as IDeploymentStore;
        _gates = gates;
        _hooks = hooks;
        _time = time;
        _options = options ?? new EngineOptions();
        _emit = events ?? (_ => { });
    }

    /// <summary>Platform observations made so far (benchmarks compare them with the minimum).</summary>
    public int Polls => _polls;

    /// <summary>
    /// Starts a deployment. When a run of the same spec died part-way (its lease expired), this resumes it
    /// instead of starting over, so a re-run converges; any other unfinished deployment refuses.
    /// </summary>
    public async Task<DeploymentResult> DeployAsync(DeploymentSpec spec, DeploymentPlan plan, string? specDigest, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        if (_store is not null && await _store.ReadJournalAsync(cancellationToken) is { } previous && IsUnfinished(previous.Status))
        {
            if (specDigest is not null && previous.SpecDigest == specDigest && await TryLeaseAsync(previous.DeploymentId, cancellationToken) is null)
            {
                return previous.Status == DeploymentStatus.RollingBack
                    ? await RollBackAsync(spec, previous, previous.Reason ?? "resumed rollback", DeploymentOutcome.RolledBack, started, cancellationToken)
                    : await DriveAsync(spec, previous, resumed: true, cancellationToken);
            }

            var holder = await TryLeaseAsync(previous.DeploymentId, cancellationToken);
            return await RefuseAsync(previous.DeploymentId, started, holder is null ? DeploymentRefusal.Unfinished : DeploymentRefusal.Held, holder is null
                ? $"an unfinished deployment {previous.DeploymentId} of '{previous.Service}' stopped at step {previous.StepsCompleted + 1} of {previous.Plan.Steps.Count} ({previous.Status}). Fix: run `zdp resume` to finish it or `zdp rollback` to undo it, then deploy again."
                : holder);
        }

        var id = NewDeploymentId(spec);
        if (await TryLeaseAsync(id, cancellationToken) is { } refusal)
        {
            return await RefuseAsync(id, started, DeploymentRefusal.Held, refusal);
        }

        var start = await ObserveAsync(cancellationToken);
        var journal = new Journal
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
        };
        await WriteAsync(journal, cancellationToken);
        return await DriveAsync(spec, journal, resumed: false, cancellationToken);
    }

    /// <summary>Continues the journalled deployment from the step it reached (or its rollback, if one was under way).</summary>
    public async Task<DeploymentResult> ResumeAsync(DeploymentSpec spec, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var journal = await ReadJournalAsync(cancellationToken);
        if (journal is null || !IsUnfinished(journal.Status))
        {
            return await RefuseAsync(journal?.DeploymentId ?? "-", started, DeploymentRefusal.NothingToActOn, journal is null
                ? $"there is no deployment of {spec.Name} on {_platform.Target} to resume. Fix: start one with `zdp deploy`."
                : $"deployment {journal.DeploymentId} already ended ({Words(journal.Status)}); there is nothing to resume. Fix: `zdp deploy` starts a new one.");
        }

        if (await TryLeaseAsync(journal.DeploymentId, cancellationToken) is { } refusal)
        {
            return await RefuseAsync(journal.DeploymentId, started, DeploymentRefusal.Held, refusal);
        }

        return journal.Status == DeploymentStatus.RollingBack
            ? await RollBackAsync(spec, journal, journal.Reason ?? "resumed rollback", DeploymentOutcome.RolledBack, started, cancellationToken)
            : await DriveAsync(spec, journal, resumed: true, cancellationToken);
    }

    /// <summary>
    /// Restores the journalled starting state: for an unfinished deployment (after a crash), or for a
    /// finished blue-green one while its previous side is still kept.
    /// </summary>
    public async Task<DeploymentResult> RollbackAsync(DeploymentSpec spec, string reason, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var journal = await ReadJournalAsync(cancellationToken);
        if (journal is null)
        {
            return await RefuseAsync("-", started, DeploymentRefusal.NothingToActOn, $"there is no journalled deployment of {spec.Name} on {_platform.Target} to roll back. Fix: check `zdp status`.");
        }

        if (journal.Status == DeploymentStatus.RolledBack)
        {
            return await RefuseAsync(journal.DeploymentId, started, DeploymentRefusal.AlreadyDone, $"deployment {journal.DeploymentId} is already rolled back; nothing to do.");
        }

        if (journal.Status == DeploymentStatus.Succeeded && !(journal.PreviousKeptUntil > started))
        {
            return await RefuseAsync(journal.DeploymentId, started, DeploymentRefusal.NoLongerPossible, $"deployment {journal.DeploymentId} succeeded and its previous side is no longer kept" +
                (journal.PreviousKeptUntil is { } until ? $" (kept until {until:u})" : "") + ". Fix: deploy the previous version as a new deployment.");
        }

        if (await TryLeaseAsync(journal.DeploymentId, cancellationToken) is { } refusal)
        {
            return await RefuseAsync(journal.DeploymentId, started, DeploymentRefusal.Held, refusal);
        }

        return await RollBackAsync(spec, journal, reason, DeploymentOutcome.RolledBack, started, cancellationToken);
    }

    /// <summary>Asks the running deployment to end its current pause (`zdp promote`).</summary>
    public Task<Journal?> RequestPromoteAsync(CancellationToken cancellationToken) =>
        SignalAsync(j => j with { PromoteRequested = true }, cancellationToken);

    /// <summary>Asks the running deployment to roll back (`zdp abort`).</summary>
    public Task<Journal?> RequestAbortAsync(CancellationToken cancellationToken) =>
        SignalAsync(j => j with { AbortRequested = true }, cancellationToken);

    public Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken) =>
        _store is null ? Task.FromResult<Journal?>(null) : _store.ReadJournalAsync(cancellationToken);

    private async Task<Journal?> SignalAsync(Func<Journal, Journal> change, CancellationToken cancellationToken)
    {
        var journal = await ReadJournalAsync(cancellationToken);
        if (journal is null || !IsUnfinished(journal.Status))
        {
            return null;
        }

        var updated = change(journal);
        await _store!.WriteJournalAsync(updated, cancellationToken);
        return updated;
    }

    private async Task<DeploymentResult> DriveAsync(DeploymentSpec spec, Journal journal, bool resumed, CancellationToken cancellationToken)
    {
        var began = _time.GetUtcNow();
        var plan = journal.Plan;
        _emit(new DeploymentStarted(began, journal.DeploymentId, plan.Strategy, plan.Steps.Count, resumed));
        StartLeaseKeeper();

        // The total timeout counts from the deployment's first start, not from this resume.
        var remaining = journal.StartedAt + spec.Timeouts.Total - began;
        using var total = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, total.Token);
        var token = linked.Token;

        string? failure = null;
        var firstStep = journal.StepsCompleted;
        try
        {
            for (var i = firstStep; i < plan.Steps.Count && failure is null; i++)
            {
                // One journal write per step: the write that records step i-1 done also records when step i
                // started. Only the first step of this run writes before it starts.
                if (i == firstStep)
                {
                    journal = await UpdateJournalAsync(journal, j => j with
                    {
                        Status = DeploymentStatus.Running,
                        CurrentStepStartedAt = resumed && j.CurrentStepStartedAt is { } at ? at : _time.GetUtcNow(),
                    }, token);
                }

                if (journal.AbortRequested)
                {
                    failure = "aborted by `zdp abort`";
                    break;
                }

                var step = plan.Steps[i];
                var stepStart = _time.GetUtcNow();
                _emit(new StepStarted(stepStart, i + 1, plan.Steps.Count, step.Describe(), false));
                var (outcome, journalAfter) = await ExecuteAsync(spec, journal, step, rollback: false, token);
                journal = journalAfter;
                if (outcome.Failure is not null)
                {
                    failure = $"step {i + 1} ({step.Describe()}): {outcome.Failure}";
                    break;
                }

                _emit(outcome.Skipped
                    ? new StepSkipped(_time.GetUtcNow(), i + 1, plan.Steps.Count, step.Describe(), false)
                    : new StepCompleted(_time.GetUtcNow(), i + 1, plan.Steps.Count, step.Describe(), _time.GetUtcNow() - stepStart, false));
                journal = await UpdateJournalAsync(journal, j => j with { StepsCompleted = i + 1, CurrentStepStartedAt = _time.GetUtcNow() }, token);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            using var budget = new CancellationTokenSource(_options.RollbackOnCancelBudget, _time);
            return await RollBackAsync(spec, journal, "cancelled (Ctrl+C / SIGTERM)", DeploymentOutcome.Cancelled, began, budget.Token);
        }
        catch (LeaseLostException e)
        {
            // Another run owns the target now: rolling back would be a second run acting at once.
            return await FinishAsync(journal.DeploymentId, DeploymentOutcome.Failed, e.Message, journal.StepsCompleted, began);
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
                await UpdateJournalAsync(journal, j => j with { Status = DeploymentStatus.Failed, Reason = failure + " (rollback.automatic is off: state left as is)" }, CancellationToken.None);
                return await FinishAsync(journal.DeploymentId, DeploymentOutcome.Failed, failure + ". rollback.automatic is off: the platform is left as it is; run `zdp rollback` to restore the starting state.", journal.StepsCompleted, began);
            }

            return await RollBackAsync(spec, journal, failure, DeploymentOutcome.RolledBack, began, cancellationToken.IsCancellationRequested ? CancellationToken.None : cancellationToken);
        }

        journal = await UpdateJournalAsync(journal, j => j with { Status = DeploymentStatus.Succeeded, Reason = null }, CancellationToken.None);
        await ReleaseAsync(journal.DeploymentId);
        await RunNotificationHooksAsync(spec.Hooks.PostPromote, journal, rollback: false, cancellationToken);
        return await FinishAsync(journal.DeploymentId, DeploymentOutcome.Promoted, null, journal.StepsCompleted, began);
    }

    private async Task<DeploymentResult> RollBackAsync(DeploymentSpec spec, Journal journal, string reason, DeploymentOutcome outcome, DateTimeOffset began, CancellationToken cancellationToken)
    {
        _emit(new RollbackStarted(_time.GetUtcNow(), reason));
        StartLeaseKeeper();
        try
        {
            var current = MarkJournalledUpdates(await ObserveAsync(cancellationToken), journal);
            var steps = RollbackPlanner.Plan(journal.Start, current, spec);
            journal = await UpdateJournalAsync(journal, j => j with { Status = DeploymentStatus.RollingBack, Reason = reason, RollbackSteps = steps, RollbackStepsCompleted = 0 }, cancellationToken);
            for (var i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                var stepStart = _time.GetUtcNow();
                _emit(new StepStarted(stepStart, i + 1, steps.Count, step.Describe(), true));
                var (result, after) = await ExecuteAsync(spec, journal, step, rollback: true, cancellationToken);
                journal = after;
                if (result.Failure is not null)
                {
                    // Stop rather than push on: the next step could move traffic onto a side that is not healthy.
                    var why = $"{reason}; then the rollback stopped at step {i + 1} ({step.Describe()}): {result.Failure}. The platform is left as it is; fix the cause and run `zdp rollback` again.";
                    await UpdateJournalAsync(journal, j => j with { Status = DeploymentStatus.Failed, Reason = why }, CancellationToken.None);
                    return await FinishAsync(journal.DeploymentId, DeploymentOutcome.Failed, why, journal.StepsCompleted, began);
                }

                _emit(result.Skipped
                    ? new StepSkipped(_time.GetUtcNow(), i + 1, steps.Count, step.Describe(), true)
                    : new StepCompleted(_time.GetUtcNow(), i + 1, steps.Count, step.Describe(), _time.GetUtcNow() - stepStart, true));
                journal = await UpdateJournalAsync(journal, j => j with { RollbackStepsCompleted = i + 1 }, cancellationToken);
            }
        }
        catch (Exception e)
        {
            var why = $"{reason}; then the rollback failed: {e.Message}. Run `zdp rollback` to try again.";
            await TryAsync(() => UpdateJournalAsync(journal, j => j with { Status = DeploymentStatus.Failed, Reason = why }, CancellationToken.None));
            return await FinishAsync(journal.DeploymentId, DeploymentOutcome.Failed, why, journal.StepsCompleted, began);
        }

        journal = await UpdateJournalAsync(journal, j => j with { Status = DeploymentStatus.RolledBack, Reason = reason, PreviousKeptUntil = null }, CancellationToken.None);
        await ReleaseAsync(journal.DeploymentId);
        await RunNotificationHooksAsync(spec.Hooks.PostRollback, journal, rollback: true, CancellationToken.None);
        return await FinishAsync(journal.DeploymentId, outcome, reason, journal.StepsCompleted, began);
    }

    private async Task<(StepOutcome Outcome, Journal Journal)> ExecuteAsync(DeploymentSpec spec, Journal journal, PlanStep step, bool rollback, CancellationToken cancellationToken)
    {
        var before = await ObserveAsync(cancellationToken);
        if (Projection.IsInPlace(before, step) && step is not WaitHealthy)
        {
            return (StepOutcome.AlreadyInPlace, journal);
        }

        switch (step)
        {
            case WaitHealthy h:
                return (await WaitAsync($"{h.Describe()}", s => Projection.IsHealthy(s, h), spec.Timeouts.Healthy, before.Timings.TimeToHealthy, cancellationToken), journal);

            case SetWeight w:
                {
                    var guard = await WaitServingAsync(spec, w.Percent > 0 ? Side.Candidate : null, w.Percent < 100 ? Side.Stable : null, cancellationToken);
                    if (guard.Failure is not null)
                    {
                        return (guard, journal);
                    }

                    await Require<IWeightedTrafficSplit>().SetCandidateWeightAsync(w.Percent, cancellationToken);
                    return (StepOutcome.Done, journal);
                }

            case SwitchTraffic sw:
                {
                    var guard = await WaitServingAsync(spec, sw.To, null, cancellationToken);
                    if (guard.Failure is not null)
                    {
                        return (guard, journal);
                    }

                    await Require<ITrafficSwitch>().SwitchAsync(sw.To, cancellationToken);
                    return (StepOutcome.Done, journal);
                }

            case Register r:
                await Require<ITargetPool>().RegisterAsync(r.Targets.Where(id => before.Find(id) is not { Registered: true }).ToList(), cancellationToken);
                return (StepOutcome.Done, journal);

            case Deregister d:
                return (await DeregisterAsync(spec, d, before, cancellationToken), journal);

            case UpdateTargets u:
                return (await UpdateAsync(spec, journal, u, before, rollback, cancellationToken), journal);

            case Pause p:
                return await PauseAsync(spec, journal, p, cancellationToken);

            case RunGate g:
                return (await GateAsync(spec, journal, g, before, cancellationToken), journal);

            case RunHook hook:
                return (await HookAsync(spec.FindHook(hook.Hook)!, journal, hook.Targets, before, rollback, cancellationToken), journal);

            case RetainPrevious keep:
                return (StepOutcome.Done, await UpdateJournalAsync(journal, j => j with { PreviousKeptUntil = _time.GetUtcNow() + keep.For }, cancellationToken));

            default:
                return (StepOutcome.Fail($"unknown step {step.GetType().Name}"), journal);
        }
    }

    /// <summary>Invariant guard: traffic only moves onto a side that has a healthy target to serve it.</summary>
    private async Task<StepOutcome> WaitServingAsync(DeploymentSpec spec, Side? first, Side? second, CancellationToken cancellationToken)
    {
        foreach (var side in new[] { first, second })
        {
            if (side is { } s)
            {
                var outcome = await WaitAsync($"at least one healthy {s.ToString().ToLowerInvariant()} target before moving traffic", snap => snap.HealthyServing(s) >= 1, spec.Timeouts.Healthy, TimeSpan.Zero, cancellationToken);
                if (outcome.Failure is not null)
                {
                    return outcome;
                }
            }
        }

        return StepOutcome.Done;
    }

    private async Task<StepOutcome> DeregisterAsync(DeploymentSpec spec, Deregister d, PlatformSnapshot before, CancellationToken cancellationToken)
    {
        var leaving = d.Targets.ToHashSet(StringComparer.Ordinal);
        var stillIn = d.Targets.Where(id => before.Find(id) is { Registered: true }).ToList();
        if (stillIn.Count > 0)
        {
            // Capacity floor: wait until enough other targets are healthy (one may have failed meanwhile).
            var capacity = await WaitAsync(
                $"{d.MinHealthyAfter} healthy targets besides {string.Join(", ", stillIn)} before taking them out",
                s => s.Targets.Count(t => t.Registered && t.Health == TargetHealth.Healthy && !leaving.Contains(t.Id)) >= d.MinHealthyAfter,
                spec.Timeouts.Healthy, TimeSpan.Zero, cancellationToken);
            if (capacity.Failure is not null)
            {
                return capacity;
            }

            await Require<ITargetPool>().DeregisterAsync(stillIn, cancellationToken);
        }

        return await WaitAsync($"drain {string.Join(", ", d.Targets)}",
            s => d.Targets.All(id => s.Find(id) is not { Health: TargetHealth.Draining } and not { Registered: true }),
            spec.Timeouts.Drain, before.Timings.DeregistrationDelay, cancellationToken);
    }

    private async Task<StepOutcome> UpdateAsync(DeploymentSpec spec, Journal journal, UpdateTargets u, PlatformSnapshot before, bool rollback, CancellationToken cancellationToken)
    {
        if (u.Hook is not null && spec.FindHook(u.Hook) is { } hook)
        {
            var outcome = await HookAsync(hook, journal, u.Targets, before, rollback || u.ToPrevious, cancellationToken);
            if (outcome.Failure is null && _platform is ITargetVersionRecord record)
            {
                await record.RecordUpdatedAsync(u.Targets, !u.ToPrevious, cancellationToken);
            }

            return outcome;
        }

        await Require<ITargetUpdater>().UpdateAsync(u.Targets, u.ToPrevious, cancellationToken);
        return StepOutcome.Done;
    }

    private async Task<(StepOutcome, Journal)> PauseAsync(DeploymentSpec spec, Journal journal, Pause p, CancellationToken cancellationToken)
    {
        var began = journal.CurrentStepStartedAt ?? _time.GetUtcNow();
        var limit = p.Duration ?? spec.Timeouts.Promote;
        if (p.Duration is null)
        {
            journal = await UpdateJournalAsync(journal, j => j with { Status = DeploymentStatus.Paused }, cancellationToken);
        }

        var polls = 0;
        while (true)
        {
            var elapsed = _time.GetUtcNow() - began;
            if (_store is not null)
            {
                journal = await UpdateJournalAsync(journal, j => j, cancellationToken);
                if (journal.AbortRequested)
                {
                    return (StepOutcome.Fail("aborted by `zdp abort`"), journal);
                }

                if (journal.PromoteRequested)
                {
                    journal = await UpdateJournalAsync(journal, j => j with { PromoteRequested = false, Status = DeploymentStatus.Running }, cancellationToken, keepSignals: false);
                    return (StepOutcome.Done, journal);
                }
            }

            if (elapsed >= limit)
            {
                return p.Duration is null
                    ? (StepOutcome.Fail($"nobody ran `zdp promote` within timeouts.promote ({Durations.Format(spec.Timeouts.Promote)})"), journal)
                    : (StepOutcome.Done, journal);
            }

            _emit(new Waiting(_time.GetUtcNow(), p.Describe(), elapsed, polls++));
            // Check for promote/abort at most every few seconds; a plain pause with no store just sleeps.
            var wait = limit - elapsed;
            if (_store is not null && wait > ControlPoll)
            {
                wait = ControlPoll;
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>How often a pause looks for `zdp promote` or `zdp abort`.</summary>
    private static readonly TimeSpan ControlPoll = TimeSpan.FromSeconds(5);

    private async Task<StepOutcome> GateAsync(DeploymentSpec spec, Journal journal, RunGate g, PlatformSnapshot snapshot, CancellationToken cancellationToken)
    {
        var gate = spec.FindGate(g.Gate)!;
        var context = new GateContext(g.Side, snapshot.Address, snapshot.PreviewAddress, journal.DeploymentId);
        var result = await _gates.EvaluateAsync(gate, context, r => _emit(new GateMeasured(_time.GetUtcNow(), r)), cancellationToken);
        _gateResults.Add(result);
        _emit(new GateEvaluated(_time.GetUtcNow(), result));
        return result.Verdict switch
        {
            GateVerdict.Pass => StepOutcome.Done,
            GateVerdict.Inconclusive when spec.Rollback.OnInconclusive == InconclusiveAction.Continue => StepOutcome.Done,
            GateVerdict.Inconclusive => StepOutcome.Fail($"gate '{gate.Name}' was inconclusive (insufficient data: {result.Inconclusives} of {result.Measurements} measurements had no data). Fix: send traffic during the gate, lower minSamples, or set noData / rollback.onInconclusive"),
            _ => StepOutcome.Fail($"gate '{gate.Name}' failed: {result.Summary()}"),
        };
    }

    private async Task<StepOutcome> HookAsync(HookSpec hook, Journal journal, IReadOnlyList<string> targets, PlatformSnapshot snapshot, bool rollback, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(hook.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var result = await _hooks.RunAsync(hook, new HookContext(journal.DeploymentId, targets, rollback, snapshot.Address, snapshot.PreviewAddress), linked.Token);
            return result.Succeeded ? StepOutcome.Done : StepOutcome.Fail($"hook '{hook.Name}' exited with code {result.ExitCode}{Tail(result.Output)}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return StepOutcome.Fail($"hook '{hook.Name}' did not finish within its timeout ({Durations.Format(hook.Timeout)})");
        }
    }

    private async Task RunNotificationHooksAsync(IReadOnlyList<HookSpec> hooks, Journal journal, bool rollback, CancellationToken cancellationToken)
    {
        foreach (var hook in hooks)
        {
            var outcome = await HookAsync(hook, journal, [], journal.Start, rollback, cancellationToken);
            if (outcome.Failure is not null)
            {
                _emit(new Warning(_time.GetUtcNow(), outcome.Failure));
            }
        }
    }

    /// <summary>
    /// Polls until <paramref name="done"/> holds. The first poll is immediate; then the engine sleeps
    /// until the time the platform says the wait should take (<paramref name="expected"/>), and past that
    /// backs off exponentially up to MaxPoll: few calls, and a finished wait is noticed soon.
    /// </summary>
    private async Task<StepOutcome> WaitAsync(string what, Func<PlatformSnapshot, bool> done, TimeSpan timeout, TimeSpan expected, CancellationToken cancellationToken)
    {
        var began = _time.GetUtcNow();
        var backoff = _options.MinPoll;
        var polls = 0;
        while (true)
        {
            var snapshot = await ObserveAsync(cancellationToken);
            polls++;
            if (done(snapshot))
            {
                return StepOutcome.Done;
            }

            var elapsed = _time.GetUtcNow() - began;
            if (elapsed >= timeout)
            {
                return StepOutcome.Fail($"timed out after {Durations.Format(timeout)} waiting to {what}");
            }

            TimeSpan delay;
            if (expected - elapsed > _options.MinPoll)
            {
                delay = expected - elapsed;
            }
            else
            {
                delay = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxPoll.Ticks));
            }

            delay = TimeSpan.FromTicks(Math.Clamp(delay.Ticks, _options.MinPoll.Ticks, Math.Min(_options.MaxPoll.Ticks, (timeout - elapsed).Ticks + 1)));
            _emit(new Waiting(_time.GetUtcNow(), what, elapsed, polls));
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    private async Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken)
    {
        _polls++;
        var snapshot = await _platform.ObserveAsync(cancellationToken);
        await RenewLeaseIfDueAsync(cancellationToken);
        return snapshot;
    }

    private string? _leaseId;

    /// <summary>Null when the lease is ours; otherwise the message saying who holds it.</summary>
    private async Task<string?> TryLeaseAsync(string deploymentId, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var result = await _store.TryAcquireLeaseAsync(new Lease(deploymentId, _options.Owner, now + _options.LeaseDuration), cancellationToken);
        if (result.Acquired)
        {
            _leaseId = deploymentId;
            _leaseRenewedAt = now;
            return null;
        }

        var holder = result.Holder!;
        return $"deployment {holder.DeploymentId} by {holder.Owner} holds {_platform.Target} until {holder.ExpiresAt:u} (renewed while it runs). " +
            "Fix: wait for it to finish, or stop it with `zdp abort`; a dead run's lease expires by itself and `zdp resume` then takes over.";
    }

    /// <summary>
    /// Renews the lease in the background while a deployment or rollback runs: a long pause or gate
    /// makes no platform calls, and its lease must not lapse and let a second run in.
    /// </summary>
    private void StartLeaseKeeper()
    {
        if (_store is null || _keeper is not null)
        {
            return;
        }

        var stop = new CancellationTokenSource();
        var run = Task.Run(async () =>
        {
            while (true)
            {
                await Task.Delay(_options.LeaseDuration / 4, _time, stop.Token);
                try
                {
                    await RenewLeaseIfDueAsync(stop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _emit(new Warning(_time.GetUtcNow(), $"could not renew the deployment lease: {e.Message}"));
                }
            }
        });
        _keeper = (stop, run);
    }

    /// <summary>Stops the keeper and waits for it, so no renewal can land after the lease is released.</summary>
    private async Task StopLeaseKeeperAsync()
    {
        if (_keeper is not { } keeper)
        {
            return;
        }

        _keeper = null;
        await keeper.Stop.CancelAsync();
        try
        {
            await keeper.Run;
        }
        catch (OperationCanceledException)
        {
            // The keeper ends by cancellation.
        }

        keeper.Stop.Dispose();
    }

    private (CancellationTokenSource Stop, Task Run)? _keeper;

    private async Task RenewLeaseIfDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_store is null || _leaseId is null || now - _leaseRenewedAt < _options.LeaseDuration / 4)
        {
            return;
        }

        var result = await _store.TryAcquireLeaseAsync(new Lease(_leaseId, _options.Owner, now + _options.LeaseDuration), cancellationToken);
        if (!result.Acquired)
        {
            throw new LeaseLostException($"lost the deployment lease to {result.Holder?.DeploymentId} ({result.Holder?.Owner}); stopped without touching the platform again, so that two runs never act at once. Fix: see `zdp status`.");
        }

        _leaseRenewedAt = now;
    }

    private async Task ReleaseAsync(string deploymentId)
    {
        await StopLeaseKeeperAsync();
        if (_store is not null)
        {
            await TryAsync(() => _store.ReleaseLeaseAsync(deploymentId, CancellationToken.None));
        }

        _leaseId = null;
    }

    private async Task WriteAsync(Journal journal, CancellationToken cancellationToken)
    {
        if (_store is not null)
        {
            await _store.WriteJournalAsync(journal with { UpdatedAt = _time.GetUtcNow() }, cancellationToken);
        }
    }

    /// <summary>
    /// Read-modify-write: `zdp promote` and `zdp abort` write their flags from another process, so the
    /// engine merges the stored flags instead of overwriting them with its own copy.
    /// </summary>
    private async Task<Journal> UpdateJournalAsync(Journal journal, Func<Journal, Journal> change, CancellationToken cancellationToken, bool keepSignals = true)
    {
        if (_store is not null && keepSignals && await _store.ReadJournalAsync(cancellationToken) is { } stored && stored.DeploymentId == journal.DeploymentId)
        {
            journal = journal with
            {
                PromoteRequested = journal.PromoteRequested || stored.PromoteRequested,
                AbortRequested = journal.AbortRequested || stored.AbortRequested,
            };
        }

        var updated = change(journal) with { UpdatedAt = _time.GetUtcNow() };
        if (_store is not null)
        {
            await _store.WriteJournalAsync(updated, cancellationToken);
        }

        return updated;
    }

    private TCapability Require<TCapability>()
        where TCapability : class =>
        _platform as TCapability ?? throw new InvalidOperationException($"the {_platform.Kind} platform does not implement {typeof(TCapability).Name}");

    /// <summary>Targets the journal shows as updated count as updated even when the platform cannot tell (user update hooks).</summary>
    private static PlatformSnapshot MarkJournalledUpdates(PlatformSnapshot current, Journal journal)
    {
        var touched = journal.Plan.Steps
            .Take(Math.Min(journal.StepsCompleted + 1, journal.Plan.Steps.Count))
            .OfType<UpdateTargets>()
            .Where(u => !u.ToPrevious)
            .SelectMany(u => u.Targets)
            .ToHashSet(StringComparer.Ordinal);
        return touched.Count == 0 ? current : current with
        {
            Targets = current.Targets.Select(t => touched.Contains(t.Id) ? t with { Updated = true } : t).ToList(),
        };
    }

    private async Task<DeploymentResult> FinishAsync(string id, DeploymentOutcome outcome, string? reason, int steps, DateTimeOffset began)
    {
        // Every way out passes here; a lease left held (a failure left for a human) then lapses by itself.
        await StopLeaseKeeperAsync();
        var took = _time.GetUtcNow() - began;
        _emit(new DeploymentFinished(_time.GetUtcNow(), id, outcome, reason, took, _polls));
        return new DeploymentResult(id, outcome, reason, _gateResults.ToList(), steps, took, _polls);
    }

    private async Task<DeploymentResult> RefuseAsync(string id, DateTimeOffset began, DeploymentRefusal why, string reason) =>
        await FinishAsync(id, DeploymentOutcome.Refused, reason, 0, began) with { Refusal = why };

    /// <summary>"rolledBack" → "rolled back", for sentences.</summary>
    private static string Words(DeploymentStatus status) =>
        string.Concat(status.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private string NewDeploymentId(DeploymentSpec spec) =>
        $"{spec.Name}-{_time.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

    private static bool IsUnfinished(DeploymentStatus s) => s is DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.RollingBack;

    private static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : ": " + string.Join(" | ", lines.TakeLast(3));
    }

    private static async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: the journal and lease are bookkeeping; the outcome is already decided.
        }
    }

    private sealed class LeaseLostException(string message) : Exception(message);

    private sealed record StepOutcome(string? Failure, bool Skipped)
    {
        public static readonly StepOutcome Done = new(null, false);
        public static readonly StepOutcome AlreadyInPlace = new(null, true);

        public static StepOutcome Fail(string why) => new(why, false);
    }
}
