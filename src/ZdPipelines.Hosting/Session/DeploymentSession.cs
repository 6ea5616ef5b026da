using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Hosting.Hooks;
using ZdPipelines.Hosting.Specs;

namespace ZdPipelines.Hosting.Session;

/// <summary>
/// Runs one zdp command the same way in every host: read and validate the spec, open its platform through the
/// module that owns it, set up the engine with gate sources and hooks, run the command, and turn how it ended into
/// an exit code. Hosts parse their own input into a <see cref="SessionCommand"/> and render what the observers see;
/// nothing here knows a command line, a terminal or a CI system.
/// </summary>
public sealed class DeploymentSession(HostOptions options, IReadOnlyList<ISessionObserver> observers)
{
    /// <summary>The deployment id of the lease probe; no real deployment id has this shape (they start with the service name).</summary>
    private const string ProbeId = "zdp-status-probe";

    private readonly ISessionObserver _observers = new Fanout(observers);
    private bool _stepStarted;

    public async Task<SessionOutcome> RunAsync(SessionCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        // Per command: a session that runs several must not carry one command's first step into the next one's message.
        _stepStarted = false;
        var outcome = await RunCommandAsync(command, cancellationToken);
        _observers.OnFinished(outcome);
        return outcome;
    }

    private async Task<SessionOutcome> RunCommandAsync(SessionCommand command, CancellationToken cancellationToken)
    {
        try
        {
            var read = await SpecFile.ReadAsync(command.SpecPath, options.Modules, cancellationToken);
            if (read.File is not { } file)
            {
                _observers.OnSpecRejected(command.SpecPath, read.Errors);
                return Outcome(command, ExitCodes.InvalidInput, read.Errors.Count == 1 ? "1 problem with the spec; nothing was changed." : $"{read.Errors.Count} problems with the spec; nothing was changed.");
            }

            var module = options.Modules.Platform(file.Spec.Platform.Type)
                ?? throw new InvalidOperationException($"no module for platform type '{file.Spec.Platform.Type}' passed validation");
            var opening = new PlatformOpening(file.Spec, UseOf(command.Kind), options.Time) { IdTokens = options.IdTokens, RegisterSecret = options.Secrets.Add };
            await using var opened = await module.OpenAsync(opening, cancellationToken);
            _observers.OnPlatformOpened(file.Spec, opened.Platform, opened.Notes);
            return command.Kind switch
            {
                SessionCommandKind.Plan => await PlanAsync(command, file, opened.Platform, cancellationToken),
                SessionCommandKind.Deploy => await DeployAsync(command, file, opened.Platform, cancellationToken),
                SessionCommandKind.Resume => await RunEngineAsync(command, file, opened.Platform, (e, ct) => e.ResumeAsync(file.Spec, ct), cancellationToken),
                SessionCommandKind.Rollback => await RunEngineAsync(command, file, opened.Platform, (e, ct) => e.RollbackAsync(file.Spec, command.Reason ?? SessionDefaults.RollbackReason, ct), cancellationToken),
                SessionCommandKind.Status => await StatusAsync(command, file, opened.Platform, cancellationToken),
                _ => await SignalAsync(command, file, opened.Platform, cancellationToken),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Deploy, resume and rollback handle cancellation inside the engine (as a rollback);
            // reaching here means the command was stopped before the engine changed anything.
            return Problem(command, ExitCodes.Cancelled, "cancelled (Ctrl+C / SIGTERM) before any change was made.");
        }
        catch (PlatformException e)
        {
            // The platform already said what failed, on what, and what to do; a resource the spec names that does not
            // exist, or one not shaped for the strategy, is the user's input found wrong by reading.
            var exitCode = e.Kind switch
            {
                PlatformErrorKind.NotFound => ExitCodes.InvalidInput,
                PlatformErrorKind.Unsuitable => ExitCodes.Refused,
                _ => ExitCodes.PlatformError,
            };
            return Problem(command, exitCode, $"zdp: {e.Message}{NothingChanged(command)}");
        }
        catch (NotSupportedException e)
        {
            return Problem(command, ExitCodes.PlatformError, $"zdp: {e.Message}{NothingChanged(command)}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Problem(command, ExitCodes.PlatformError,
                $"zdp: the platform failed: {e.Message}.{NothingChanged(command)} Fix: check that the platform is reachable, then run `zdp status` to see what state it is in.");
        }
    }

    private async Task<SessionOutcome> PlanAsync(SessionCommand command, SpecFile file, IPlatform platform, CancellationToken cancellationToken)
    {
        if (await PlanOrRefuseAsync(file.Spec, platform, cancellationToken) is not { } plan)
        {
            return Outcome(command, ExitCodes.Refused, "the strategy cannot run on this platform as it is.");
        }

        _observers.OnPlanned(new PlanReport(file.Spec, platform, plan, Full: true));
        return new SessionOutcome(command.Kind, ExitCodes.Success, null, plan, null);
    }

    private async Task<SessionOutcome> DeployAsync(SessionCommand command, SpecFile file, IPlatform platform, CancellationToken cancellationToken)
    {
        if (await PlanOrRefuseAsync(file.Spec, platform, cancellationToken) is not { } plan)
        {
            return Outcome(command, ExitCodes.Refused, "the strategy cannot run on this platform as it is.");
        }

        _observers.OnPlanned(new PlanReport(file.Spec, platform, plan, Full: false));
        var result = await CreateEngine(platform, command).DeployAsync(file.Spec, plan, file.Digest, cancellationToken);
        return Finished(command, result, plan, plan.Steps.Count);
    }

    private async Task<DeploymentPlan?> PlanOrRefuseAsync(DeploymentSpec spec, IPlatform platform, CancellationToken cancellationToken)
    {
        var snapshot = await platform.ObserveAsync(cancellationToken);
        var result = DeploymentPlanner.Plan(spec, platform.Capabilities(), snapshot);
        if (result.Plan is null)
        {
            _observers.OnPlanRefused(spec.Name, result.Problems);
        }

        return result.Plan;
    }

    private async Task<SessionOutcome> RunEngineAsync(SessionCommand command, SpecFile file, IPlatform platform, Func<DeploymentEngine, CancellationToken, Task<DeploymentResult>> run, CancellationToken cancellationToken)
    {
        var engine = CreateEngine(platform, command);
        var journal = await engine.ReadJournalAsync(file.Spec, cancellationToken);
        var result = await run(engine, cancellationToken);
        return Finished(command, result, journal?.Plan, journal?.Plan.Steps.Count);
    }

    private SessionOutcome Finished(SessionCommand command, DeploymentResult result, DeploymentPlan? plan, int? totalSteps)
    {
        switch (result.Refusal)
        {
            case DeploymentRefusal.NothingToActOn:
                return Problem(command, ExitCodes.InvalidInput, result.Reason!);
            case DeploymentRefusal.AlreadyDone:
                // A command whose end state already holds did what was asked (a second rollback).
                _observers.OnNotice(result.Reason!);
                return new SessionOutcome(command.Kind, ExitCodes.Success, null, plan, result.Reason);
            case DeploymentRefusal.OtherService:
                return Problem(command, ExitCodes.Refused, result.Reason!);
            default:
                var exitCode = command.Kind == SessionCommandKind.Rollback && result.Outcome == DeploymentOutcome.RolledBack
                    // A completed `zdp rollback` is what was asked.
                    ? ExitCodes.Success
                    : ExitCodes.For(result.Outcome);
                return new SessionOutcome(command.Kind, exitCode, result, plan, result.Reason) { TotalSteps = totalSteps };
        }
    }

    private async Task<SessionOutcome> StatusAsync(SessionCommand command, SpecFile file, IPlatform platform, CancellationToken cancellationToken)
    {
        var journal = await CreateEngine(platform).ReadJournalAsync(file.Spec, cancellationToken);
        if (journal is not null && journal.Service != file.Spec.Name)
        {
            return Problem(command, ExitCodes.Refused,
                $"the deployment on {platform.Target} ({journal.DeploymentId}) is of service '{journal.Service}', but this spec is for '{file.Spec.Name}'. " +
                $"Fix: run `zdp status` with the spec of '{journal.Service}', or give '{file.Spec.Name}' a target of its own.");
        }

        var lease = journal is { Status: DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.RollingBack }
            ? await LeaseHolderAsync(platform, cancellationToken)
            : null;
        var observed = await platform.ObserveAsync(cancellationToken);
        if (journal is not null)
        {
            observed = JournalledUpdates.Overlay(observed, journal);
        }

        _observers.OnStatus(new StatusReport(file.Spec, platform, journal, lease, observed));
        return new SessionOutcome(command.Kind, ExitCodes.Success, null, journal?.Plan, null);
    }

    /// <summary>
    /// IDeploymentStore has no way to read the lease, only to take it. A lease that is already expired when
    /// offered is one nobody can be kept out by, so asking for it is harmless: a live holder is returned,
    /// otherwise the expired probe is released again at once.
    /// </summary>
    private async Task<Lease?> LeaseHolderAsync(IPlatform platform, CancellationToken cancellationToken)
    {
        if (platform is not IDeploymentStore store)
        {
            return null;
        }

        var result = await store.TryAcquireLeaseAsync(new Lease(ProbeId, options.Owner, options.Time.GetUtcNow()), cancellationToken);
        if (!result.Acquired)
        {
            return result.Holder;
        }

        await store.ReleaseLeaseAsync(ProbeId, cancellationToken);
        return null;
    }

    /// <summary>
    /// `promote` and `abort` do not act on the platform themselves: they write a request into the journal, and the
    /// zdp that runs the deployment acts on it at its next check.
    /// </summary>
    private async Task<SessionOutcome> SignalAsync(SessionCommand command, SpecFile file, IPlatform platform, CancellationToken cancellationToken)
    {
        var engine = CreateEngine(platform);
        var signal = command.Kind == SessionCommandKind.Promote
            ? await engine.RequestPromoteAsync(file.Spec, cancellationToken)
            : await engine.RequestAbortAsync(file.Spec, cancellationToken);
        switch (signal.Refusal)
        {
            case DeploymentRefusal.NothingToActOn:
                var fix = command.Kind == SessionCommandKind.Promote ? "start one with `zdp deploy`." : "to undo a finished blue-green deployment use `zdp rollback`.";
                return Problem(command, ExitCodes.InvalidInput, $"{signal.Reason} Fix: check `zdp status`; {fix}");
            case DeploymentRefusal.AlreadyDone:
                _observers.OnNotice(signal.Reason!);
                return new SessionOutcome(command.Kind, ExitCodes.Success, null, null, signal.Reason);
            case DeploymentRefusal.OtherService:
                return Problem(command, ExitCodes.Refused, signal.Reason!);
        }

        var journal = signal.Journal!;
        _observers.OnSignalled(new SignalReport(command.Kind, journal));
        return new SessionOutcome(command.Kind, ExitCodes.Success, null, journal.Plan, null);
    }

    private DeploymentEngine CreateEngine(IPlatform platform, SessionCommand? command = null)
    {
        var time = options.Time;
        var sources = options.Modules.AllGateSources.Select(m => m.CreateSource(platform, time)).OfType<IGateSource>();
        var hooks = new ProcessHookRunner(_observers.OnHookOutput);
        var engineOptions = options.Engine with { Owner = options.Owner, TakeOverLease = command?.TakeOver ?? false, Redact = options.Secrets.Mask, Interrupt = options.Interrupt };
        return new DeploymentEngine(platform, new GateEvaluator(sources, time), hooks, time, engineOptions, e =>
        {
            if (e is StepStarted)
            {
                _stepStarted = true;
            }

            _observers.OnEvent(e);
        });
    }

    /// <summary>" Nothing was changed." when no step had started: a command that only reads never changes anything.</summary>
    private string NothingChanged(SessionCommand command) =>
        _stepStarted ? "" : command.Kind is SessionCommandKind.Deploy or SessionCommandKind.Resume or SessionCommandKind.Rollback ? " Nothing was changed." : "";

    private SessionOutcome Problem(SessionCommand command, int exitCode, string message)
    {
        _observers.OnProblem(message);
        return Outcome(command, exitCode, message);
    }

    private static SessionOutcome Outcome(SessionCommand command, int exitCode, string message) => new(command.Kind, exitCode, null, null, message);

    private static PlatformUse UseOf(SessionCommandKind kind) => kind switch
    {
        SessionCommandKind.Plan => PlatformUse.Inspect,
        SessionCommandKind.Status or SessionCommandKind.Promote or SessionCommandKind.Abort => PlatformUse.Journal,
        _ => PlatformUse.Change,
    };

    /// <summary>Passes every call to each observer in turn.</summary>
    private sealed class Fanout(IReadOnlyList<ISessionObserver> all) : ISessionObserver
    {
        public void OnSpecRejected(string path, IReadOnlyList<SpecError> errors) => Each(o => o.OnSpecRejected(path, errors));

        public void OnPlatformOpened(DeploymentSpec spec, IPlatform platform, IReadOnlyList<string> notes) => Each(o => o.OnPlatformOpened(spec, platform, notes));

        public void OnPlanned(PlanReport plan) => Each(o => o.OnPlanned(plan));

        public void OnPlanRefused(string service, IReadOnlyList<string> problems) => Each(o => o.OnPlanRefused(service, problems));

        public void OnEvent(DeploymentEvent deploymentEvent) => Each(o => o.OnEvent(deploymentEvent));

        public void OnHookOutput(string source, string line) => Each(o => o.OnHookOutput(source, line));

        public void OnStatus(StatusReport status) => Each(o => o.OnStatus(status));

        public void OnSignalled(SignalReport signal) => Each(o => o.OnSignalled(signal));

        public void OnProblem(string message) => Each(o => o.OnProblem(message));

        public void OnNotice(string message) => Each(o => o.OnNotice(message));

        public void OnFinished(SessionOutcome outcome) => Each(o => o.OnFinished(outcome));

        private void Each(Action<ISessionObserver> call)
        {
            foreach (var observer in all)
            {
                call(observer);
            }
        }
    }
}

public static class SessionDefaults
{
    /// <summary>What `zdp rollback` records when the user gives no reason.</summary>
    public const string RollbackReason = "requested with `zdp rollback`";
}
