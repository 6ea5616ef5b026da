using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Engine;

/// <summary>
/// One run of the engine against one deployment: the spec, the journal as it stands, the gate results and polls so
/// far, and the lease. A run lives for one DeployAsync, ResumeAsync or RollbackAsync; the engine that makes it
/// holds nothing between runs.
/// </summary>
internal sealed class DeploymentRun(EngineContext engine, DeploymentSpec spec, Journal journal, LeaseKeeper lease)
{
    private readonly List<GateResult> _gateResults = [];
    private int _polls;
    private PlatformSnapshot? _lastObserved;
    private DateTimeOffset _lastObservedAt;
    private bool _lastObservedCurrent;
    private bool _reuseLastObserved;
    // Every run starts right after reading the journal (deploy, resume and rollback all read it first).
    private DateTimeOffset? _signalsSeenAt = engine.Time.GetUtcNow();

    public EngineContext Engine => engine;

    public LeaseKeeper Lease => lease;

    public DeploymentSpec Spec => spec;

    /// <summary>The journal as last written (or read) by this run.</summary>
    public Journal Journal { get; set; } = journal;

    public IReadOnlyList<GateResult> GateResults => _gateResults;

    public int Polls => _polls;

    public TimeProvider Time => engine.Time;

    public DateTimeOffset Now => engine.Time.GetUtcNow();

    public void Emit(DeploymentEvent deploymentEvent) => engine.Emit(deploymentEvent);

    public void Record(GateResult result) => _gateResults.Add(result);

    /// <summary>
    /// The platform as it is, with the journal's updates laid over it; renews the lease when due. An observation this run
    /// made less than <see cref="EngineOptions.ObservationFreshFor"/> ago, with no change, hook or wait since, is the
    /// platform as it is: the step that follows a finished wait, and a step's own wait or traffic guard after the
    /// observation that checked whether the step is in place, use it instead of asking again.
    /// </summary>
    public async Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken)
    {
        if (_lastObserved is { } last && (_reuseLastObserved || (_lastObservedCurrent && Now - _lastObservedAt < engine.Options.ObservationFreshFor)))
        {
            return JournalledUpdates.Overlay(last, Journal);
        }

        _polls++;
        var snapshot = await engine.Platform.ObserveAsync(cancellationToken);
        (_lastObserved, _lastObservedAt, _lastObservedCurrent) = (snapshot, Now, true);
        await lease.RenewIfDueAsync(cancellationToken);
        return JournalledUpdates.Overlay(snapshot, Journal);
    }

    /// <summary>The starting state a new deployment just observed (and journalled): its first step need not ask again.</summary>
    public void Observed(PlatformSnapshot snapshot, DateTimeOffset at) => (_lastObserved, _lastObservedAt, _lastObservedCurrent) = (snapshot, at, true);

    /// <summary>Something may have changed the platform (a hook ran, time passed in a wait): the next observation asks it.</summary>
    public void ForgetObservation() => _lastObservedCurrent = false;

    /// <summary>
    /// After a cancel, the move back goes first: until the next change or an unmet wait, <see cref="ObserveAsync"/>
    /// answers with what this run last saw instead of asking the platform. Only valid while no change was in flight
    /// since that observation (a cancelled change may or may not have landed), so <see cref="Require{TCapability}"/>
    /// forgets it. Returns whether there was such an observation to reuse.
    /// </summary>
    public bool ReuseLastObserved()
    {
        _reuseLastObserved = _lastObserved is not null;
        return _reuseLastObserved;
    }

    /// <summary>Writes the journal; the fencing check comes first, so a run that lost its lease never writes over another's.</summary>
    public async Task UpdateJournalAsync(Func<Journal, Journal> change, CancellationToken cancellationToken, bool keepSignals = true)
    {
        lease.EnsureHeld();
        Journal = await engine.Journals.UpdateAsync(Journal, change, cancellationToken, keepSignals);
        if (keepSignals && engine.Journals.ReadsBeforeWrite)
        {
            _signalsSeenAt = Now;
        }
    }

    /// <summary>
    /// Records step <paramref name="index"/> done. The journal is written when the step changed something (a crash must
    /// not forget a change), or when the next step's work cannot be seen on the platform (an update or a hook: a rollback
    /// after a crash must know it was under way). A step that changed nothing (a wait, a gate, a step already in place)
    /// is recorded by the next write, and the last step by the write of the outcome: after a crash it runs again, which
    /// a wait or a gate may, and a step in place is skipped.
    /// </summary>
    public async Task StepDoneAsync(IReadOnlyList<PlanStep> steps, int index, StepResult outcome, CancellationToken cancellationToken)
    {
        var done = index + 1;
        Journal Advance(Journal j) => j with { StepsCompleted = done, CurrentStepStartedAt = Now };
        var last = done >= steps.Count;
        if (!last && (Changed(steps[index], outcome) || steps[done] is UpdateTargets or RunHook))
        {
            await UpdateJournalAsync(Advance, cancellationToken);
        }
        else
        {
            Journal = Advance(Journal);
        }
    }

    /// <summary>Whether a step that ended with <paramref name="outcome"/> changed the platform or the world (a hook).</summary>
    public static bool Changed(PlanStep step, StepResult outcome) =>
        !outcome.Skipped && outcome.Failure is null && step is not (WaitHealthy or RunGate or Pause or RetainPrevious);

    /// <summary>
    /// Reads the promote and abort requests into <see cref="Journal"/> (one read of the store, no write): when
    /// <paramref name="now"/>, or when <see cref="EngineOptions.SignalPoll"/> has passed since this run last saw them.
    /// </summary>
    public async Task LookForSignalsAsync(bool now, CancellationToken cancellationToken)
    {
        if (!engine.Journals.HasStore || (!now && _signalsSeenAt is { } seen && Now - seen < engine.Options.SignalPoll))
        {
            return;
        }

        Journal = await engine.Journals.ReadSignalsAsync(Journal, cancellationToken);
        _signalsSeenAt = Now;
    }

    /// <summary>The fencing check every handler makes right before it changes the platform (after any wait).</summary>
    public void EnsureHeld() => lease.EnsureHeld();

    /// <summary>
    /// Polls until <paramref name="done"/> holds. The first poll is immediate; then the engine sleeps
    /// until the time the platform says the wait should take (<paramref name="expected"/>), and past that
    /// backs off exponentially up to MaxPoll: few calls, and a finished wait is noticed soon.
    /// </summary>
    public async Task<StepResult> WaitAsync(string what, Func<PlatformSnapshot, bool> done, TimeSpan timeout, TimeSpan expected, CancellationToken cancellationToken)
    {
        var options = engine.Options;
        var began = Now;
        var backoff = options.MinPoll;
        var polls = 0;
        while (true)
        {
            var snapshot = await ObserveAsync(cancellationToken);
            polls++;
            if (done(snapshot))
            {
                return StepResult.Done;
            }

            // What this run last saw does not satisfy the wait: from here on it asks the platform.
            _reuseLastObserved = false;
            _lastObservedCurrent = false;

            var elapsed = Now - began;
            if (elapsed >= timeout)
            {
                return StepResult.Fail($"timed out after {Durations.Format(timeout)} waiting to {what}");
            }

            TimeSpan delay;
            if (expected - elapsed > options.MinPoll)
            {
                delay = expected - elapsed;
            }
            else
            {
                delay = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxPoll.Ticks));
            }

            delay = TimeSpan.FromTicks(Math.Clamp(delay.Ticks, options.MinPoll.Ticks, Math.Min(options.MaxPoll.Ticks, (timeout - elapsed).Ticks + 1)));
            Emit(new Waiting(Now, what, elapsed, polls));
            await Task.Delay(delay, engine.Time, cancellationToken);
        }
    }

    /// <summary>Invariant guard: traffic only moves onto a side that has a healthy target to serve it.</summary>
    public async Task<StepResult> WaitServingAsync(Side? first, Side? second, CancellationToken cancellationToken)
    {
        foreach (var side in new[] { first, second })
        {
            if (side is { } s)
            {
                var outcome = await WaitAsync($"at least one healthy {s.ToString().ToLowerInvariant()} target before moving traffic",
                    snap => snap.HealthyServing(s) >= 1, spec.Timeouts.Healthy, TimeSpan.Zero, cancellationToken);
                if (outcome.Failure is not null)
                {
                    return outcome;
                }
            }
        }

        return StepResult.Done;
    }

    /// <summary>Runs a hook with its timeout; the outcome names the hook and the tail of its output on failure.</summary>
    public async Task<StepResult> RunHookAsync(HookSpec hook, IReadOnlyList<string> targets, PlatformSnapshot snapshot, bool rollback, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(hook.Timeout, engine.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // A hook may change anything (it is the user's code): what was observed before it is not the platform after it.
        ForgetObservation();
        try
        {
            var result = await engine.Hooks.RunAsync(hook, new HookContext(Journal.DeploymentId, targets, rollback, snapshot.Address, snapshot.PreviewAddress), linked.Token);
            return result.Succeeded ? StepResult.Done : StepResult.Fail($"hook '{hook.Name}' exited with code {result.ExitCode}{Tail(result.Output)}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return StepResult.Fail($"hook '{hook.Name}' did not finish within its timeout ({Durations.Format(hook.Timeout)})");
        }
    }

    /// <summary>The platform as the capability a step needs; a plan that passed the planner has it.</summary>
    public TCapability Require<TCapability>()
        where TCapability : class
    {
        // A change is about to be made: what was observed before it no longer describes the platform.
        _reuseLastObserved = false;
        _lastObserved = null;
        _lastObservedCurrent = false;
        return engine.Platform as TCapability ?? throw new InvalidOperationException($"the {engine.Platform.Kind} platform does not implement {typeof(TCapability).Name}");
    }

    private static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : ": " + string.Join(" | ", lines.TakeLast(3));
    }
}

/// <summary>What the runs of one engine share: the platform and its store, gates, hooks, the clock, and the journal keeper.</summary>
internal sealed record EngineContext(
    IPlatform Platform,
    IDeploymentStore? Store,
    GateEvaluator Gates,
    IHookRunner Hooks,
    TimeProvider Time,
    EngineOptions Options,
    Action<DeploymentEvent> Emit,
    JournalKeeper Journals)
{
    public LeaseKeeper NewLease() => new(Platform, Store, Time, Options, Emit);
}

/// <summary>How a step ended: done, already in place (nothing changed), or failed with the reason.</summary>
internal sealed record StepResult(string? Failure, bool Skipped)
{
    public static readonly StepResult Done = new(null, false);
    public static readonly StepResult AlreadyInPlace = new(null, true);

    public static StepResult Fail(string why) => new(why, false);
}
