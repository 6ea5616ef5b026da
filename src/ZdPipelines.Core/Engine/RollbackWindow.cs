namespace ZdPipelines.Core.Engine;

/// <summary>
/// When a rollback stops early. <see cref="Work"/> is its hard end: the cancel budget
/// (<see cref="EngineOptions.CancelRollbackBudget"/>) ran out, so the call in flight is abandoned. <see cref="Stop"/>
/// is a request to stop once capacity and traffic are back: a second cancel for a rollback a cancel started, the first
/// cancel for any other (a failed gate's, `zdp rollback`'s, a resumed one).
/// </summary>
internal sealed class RollbackWindow : IDisposable
{
    private readonly CancellationTokenSource _work = new();
    private readonly CancellationTokenSource _stop;
    private readonly ITimer _budget;
    private readonly CancellationTokenRegistration _onCancel;

    private RollbackWindow(TimeProvider time, CancellationTokenSource stop, bool startedByCancel)
    {
        _stop = stop;
        StartedByCancel = startedByCancel;
        _budget = time.CreateTimer(_ => _work.Cancel(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private RollbackWindow(TimeProvider time, CancellationTokenSource stop, TimeSpan budget, CancellationToken startBudgetOn)
        : this(time, stop, startedByCancel: false)
    {
        _onCancel = startBudgetOn.Register(() => _budget.Change(budget, Timeout.InfiniteTimeSpan));
    }

    /// <summary>The rollback a cancel started: its budget runs from now, and a second cancel stops it after the traffic move.</summary>
    public static RollbackWindow Cancelled(TimeProvider time, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        var window = new RollbackWindow(time, CancellationTokenSource.CreateLinkedTokenSource(options.Interrupt), startedByCancel: true);
        window._budget.Change(options.CancelRollbackBudget, Timeout.InfiniteTimeSpan);
        return window;
    }

    /// <summary>A rollback that was asked for: the first cancel (or a second) stops it after the traffic move, and starts its budget.</summary>
    public static RollbackWindow Requested(TimeProvider time, EngineOptions options, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        return new RollbackWindow(time, CancellationTokenSource.CreateLinkedTokenSource(cancel, options.Interrupt), options.CancelRollbackBudget, cancel);
    }

    /// <summary>True for the rollback a cancel started: its traffic move goes first, before anything is asked of the platform.</summary>
    public bool StartedByCancel { get; }

    public CancellationToken Work => _work.Token;

    public CancellationToken Stop => _stop.Token;

    public bool StopRequested => _stop.IsCancellationRequested;

    public void Dispose()
    {
        _onCancel.Dispose();
        _budget.Dispose();
        _stop.Dispose();
        _work.Dispose();
    }
}
