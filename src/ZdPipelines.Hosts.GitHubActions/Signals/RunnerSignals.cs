using System.Runtime.InteropServices;
using ZdPipelines.Hosts.GitHubActions.Runner;

namespace ZdPipelines.Hosts.GitHubActions.Signals;

/// <summary>
/// GitHub's cancel, as the runner does it (runner Runner.Sdk/ProcessInvoker.cs; docs workflow-cancellation.md):
/// SIGINT to the step's process (the docker CLI forwards it to the container's PID 1, which is this program), SIGTERM
/// 7.5 s later, then a kill 2.5 s after that. The first signal cancels the one token the deployment runs on, which
/// the engine turns into a rollback whose traffic move goes first (with <see cref="Core.Engine.EngineDefaults.CiCancelRollbackBudget"/>).
/// The later signal never ends the process: it cancels <see cref="Interrupt"/>, so the rollback finishes moving
/// traffic back, then records what is left and releases the lease before the kill. A PID 1 without a handler would
/// ignore SIGTERM altogether (containers.md), so both are registered.
/// </summary>
internal sealed class RunnerSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly CancellationTokenSource _interrupt = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly WorkflowLog _log;
    private int _received;

    private RunnerSignals(WorkflowLog log)
    {
        _log = log;
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>The second signal: the rollback stops once capacity and traffic are back.</summary>
    public CancellationToken Interrupt => _interrupt.Token;

    /// <summary>When the first signal arrived; a final status after a cancel has only what is left of the runner's window.</summary>
    public DateTimeOffset? FirstSignalAt { get; private set; }

    public static RunnerSignals Register(WorkflowLog log, TimeProvider time)
    {
        var signals = new RunnerSignals(log);
        ZdPipelines.Hosting.Signals.TerminationSignals.HandleInterruptEvenIfInheritedIgnored();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            signals._registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                signals.OnSignal(context.Signal, time);
            }));
        }

        return signals;
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
        _interrupt.Dispose();
    }

    private void OnSignal(PosixSignal signal, TimeProvider time)
    {
        if (Interlocked.Increment(ref _received) == 1)
        {
            FirstSignalAt = time.GetUtcNow();
            _log.Warning($"{signal} received: the run was cancelled; zdp is moving traffic back to the starting state.", new AnnotationLocation(Title: "zdp: cancelled"));
            // Not Cancel(): its callbacks would run the rollback on the signal handler's thread.
            _ = _cancellation.CancelAsync();
        }
        else
        {
            _log.Line($"zdp: {signal} received again: finishing the move of traffic back, then stopping before the runner's kill. What is left stays in the journal for `command: rollback` or the next run.");
            _ = _interrupt.CancelAsync();
        }
    }
}
