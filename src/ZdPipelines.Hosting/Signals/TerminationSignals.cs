using System.Runtime.InteropServices;

namespace ZdPipelines.Hosting.Signals;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into one cancellation token, which the engine turns into a rollback.
/// The first signal is absorbed so the process lives to finish that rollback; a second one is left to the
/// runtime and ends zdp at once (the journal then lets `zdp rollback` finish the job).
/// </summary>
public sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _notices;
    private int _received;

    private TerminationSignals(TextWriter notices)
    {
        _notices = notices;
    }

    public CancellationToken Token => _cancellation.Token;

    public static TerminationSignals Register(TextWriter notices)
    {
        var signals = new TerminationSignals(notices);
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
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1)
        {
            return;
        }

        context.Cancel = true;
        _notices.WriteLine($"{Environment.NewLine}zdp: {context.Signal} received: stopping and restoring the starting state. Send it again to exit at once and leave the state for `zdp rollback`.");
        // Not Cancel(): its callbacks would run the whole rollback on the signal handler's thread.
        _ = _cancellation.CancelAsync();
    }
}
