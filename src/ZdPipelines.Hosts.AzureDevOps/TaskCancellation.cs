using System.Runtime.InteropServices;

namespace ZdPipelines.Hosts.AzureDevOps;

/// <summary>
/// The agent's cancel, as the launcher passes it on (agent ProcessInvoker.cs on Linux: SIGINT, SIGTERM 7.5 s later,
/// then a kill of Node 2.5 s after that). The first signal cancels <see cref="Token"/>, which the engine turns into a
/// rollback whose traffic move goes first, within <see cref="Core.Engine.EngineDefaults.CiCancelRollbackBudget"/>. A
/// later signal never ends the process: it cancels <see cref="Interrupt"/> (HostOptions.Interrupt), so the rollback
/// finishes moving traffic back, then records what is left in the journal and releases the lease before the kill.
/// </summary>
internal sealed class TaskCancellation : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly CancellationTokenSource _interrupt = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _notices;
    private int _received;

    private TaskCancellation(TextWriter notices)
    {
        _notices = notices;
    }

    /// <summary>The first signal: the run was cancelled.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The second signal: the rollback stops once capacity and traffic are back.</summary>
    public CancellationToken Interrupt => _interrupt.Token;

    public static TaskCancellation Register(TextWriter notices)
    {
        var cancellation = new TaskCancellation(notices);
        ZdPipelines.Hosting.Signals.TerminationSignals.HandleInterruptEvenIfInheritedIgnored();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                cancellation._registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    cancellation.OnSignal(context.Signal);
                }));
            }
            catch (PlatformNotSupportedException)
            {
                // Not every signal exists everywhere; Ctrl+C (SIGINT) does.
            }
        }

        return cancellation;
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

    /// <summary>What one signal does: the first cancels, every later one interrupts. Internal for tests.</summary>
    internal void OnSignal(PosixSignal signal)
    {
        if (Interlocked.Increment(ref _received) == 1)
        {
            _notices.WriteLine($"zdp-task: {signal} received: the pipeline was cancelled; moving traffic back to the starting state.");
            // Not Cancel(): its callbacks would run the rollback on the signal handler's thread.
            _ = _cancellation.CancelAsync();
        }
        else
        {
            _notices.WriteLine($"zdp-task: {signal} received again: finishing the move of traffic back, then stopping before the agent's kill. " +
                "What is left stays in the journal for `command: rollback` or the next deploy.");
            _ = _interrupt.CancelAsync();
        }
    }

    /// <summary>For tests: an instance with no signal registrations.</summary>
    internal static TaskCancellation ForTests(TextWriter notices) => new(notices);
}
