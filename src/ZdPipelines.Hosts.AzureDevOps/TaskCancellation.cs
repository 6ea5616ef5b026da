using System.Runtime.InteropServices;

namespace ZdPipelines.Hosts.AzureDevOps;

/// <summary>
/// SIGINT and SIGTERM (passed on by the launcher from the agent) as one cancellation token, which makes the
/// deployment roll back. Both signals are absorbed: the agent sends SIGTERM 7.5 s after SIGINT while the rollback may
/// still be running, and dying then would leave the journal half-way when 2.5 s more were still to be had.
/// </summary>
internal sealed class TaskCancellation : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _notices;

    private TaskCancellation(TextWriter notices)
    {
        _notices = notices;
    }

    public CancellationToken Token => _cancellation.Token;

    public static TaskCancellation Register(TextWriter notices)
    {
        var cancellation = new TaskCancellation(notices);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                cancellation._registrations.Add(PosixSignalRegistration.Create(signal, cancellation.OnSignal));
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
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_cancellation.IsCancellationRequested)
        {
            _notices.WriteLine($"zdp-task: {context.Signal} received again: still restoring the starting state.");
            return;
        }

        _notices.WriteLine($"zdp-task: {context.Signal} received: the pipeline was cancelled; stopping and restoring the starting state.");
        _cancellation.Cancel();
    }
}
