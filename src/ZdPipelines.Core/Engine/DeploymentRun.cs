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
    private bool _reuseLastObserved;

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

    /// <summary>The platform as it is, with the journal's updates laid over it; renews the lease when due.</summary>
    public async Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken)
    {
        if (_reuseLastObserved && _lastObserved is { } last)
        {
            return JournalledUpdates.Overlay(last, Journal);
        }

        _polls++;
        var snapshot = await engine.Platform.ObserveAsync(cancellationToken);
        _lastObserved = snapshot;
        await lease.RenewIfDueAsync(cancellationToken);
        return JournalledUpdates.Overlay(snapshot, Journal);
    }

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
