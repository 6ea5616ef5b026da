using System.Runtime.InteropServices;

namespace ZdPipelines.Hosting.Signals;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into cancellation. The first signal cancels <see cref="Token"/>, which the engine
/// turns into a rollback. The second is absorbed too and cancels <see cref="Interrupt"/>: the rollback finishes moving
/// traffic back, then stops, records what is left and releases the lease, so `zdp rollback` can finish at once. That is
/// what `timeout -s TERM` (the child, then its process group) and a CI runner (SIGINT, then SIGTERM) send, and dying
/// on it would leave traffic part-shifted. A third signal is left to the runtime and ends zdp at once.
/// </summary>
public sealed partial class TerminationSignals : IDisposable
{
    private const int SigInt = 2;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly CancellationTokenSource _interrupt = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _notices;
    private int _received;

    private TerminationSignals(TextWriter notices)
    {
        _notices = notices;
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Cancelled by the second signal (<see cref="HostOptions.Interrupt"/>).</summary>
    public CancellationToken Interrupt => _interrupt.Token;

    public static TerminationSignals Register(TextWriter notices)
    {
        var signals = new TerminationSignals(notices);
        HandleInterruptEvenIfInheritedIgnored();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                signals._registrations.Add(PosixSignalRegistration.Create(signal, signals.OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // SIGTERM has no meaning on some platforms; Ctrl+C still works there.
            }
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

    /// <summary>
    /// A shell starts background jobs with SIGINT ignored, and the runtime then leaves SIGINT alone, so a CI system that
    /// stops zdp with SIGINT (the Azure DevOps agent does, through its launcher; scripts with `&amp;` and `kill -INT`)
    /// would get no rollback, only the SIGKILL after it. Putting SIGINT back to its default lets the registration below
    /// take it.
    /// </summary>
    public static void HandleInterruptEvenIfInheritedIgnored()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = ResetSignal(SigInt, IntPtr.Zero);
        }
    }

    // signal(2) with SIG_DFL (0): the C library's own call, no state of ours.
    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial IntPtr ResetSignal(int signal, IntPtr handler);

    private void OnSignal(PosixSignalContext context)
    {
        switch (Interlocked.Increment(ref _received))
        {
            case 1:
                context.Cancel = true;
                _notices.WriteLine($"{Environment.NewLine}zdp: {context.Signal} received: stopping and restoring the starting state. " +
                    "A second signal stops the rollback once traffic is back; a third exits at once.");
                // Not Cancel(): its callbacks would run the whole rollback on the signal handler's thread.
                _ = _cancellation.CancelAsync();
                break;
            case 2:
                context.Cancel = true;
                _notices.WriteLine($"zdp: {context.Signal} received again: finishing the move of traffic back, then stopping; `zdp rollback` finishes the rest.");
                _ = _interrupt.CancelAsync();
                break;
            default:
                // The runtime's default: the process ends now, and the journal tells `zdp rollback` where it stood.
                break;
        }
    }
}
