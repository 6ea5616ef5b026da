using System.Diagnostics;
using System.Globalization;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Core.Engine;

/// <summary>
/// Takes, renews and releases a run's lease on the target, so two runs never act on one target at once. While a run
/// works it renews in the background too: a long pause or gate makes no platform calls, and its lease must not lapse
/// and let a second run in. Before every change the run asks <see cref="EnsureHeld"/>: a lease that lapsed by the
/// run's own clock (the process was frozen, renewals kept failing) is lost for good, even if the store would grant it
/// again, because another run may have taken it, acted and given it back meanwhile.
/// </summary>
internal sealed class LeaseKeeper(IPlatform platform, IDeploymentStore? store, TimeProvider time, EngineOptions options, Action<DeploymentEvent> emit)
{
    private readonly Lock _gate = new();
    private string? _leaseId;
    private DateTimeOffset _renewedAt;
    private string? _lost;
    private (CancellationTokenSource Stop, Task Run)? _background;

    /// <summary>Null when the lease is ours now; otherwise the message saying who holds it.</summary>
    public async Task<string?> TryAcquireAsync(string deploymentId, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var wanted = new Lease(deploymentId, options.Owner, now + options.LeaseDuration);
        var result = await store.TryAcquireLeaseAsync(wanted, cancellationToken);
        if (!result.Acquired && result.Holder is { } holder && (options.TakeOverLease || IsProvablyDead(holder)))
        {
            emit(new Warning(time.GetUtcNow(), options.TakeOverLease
                ? $"taking over the lease of {holder.DeploymentId} held by {holder.Owner}, as --take-over asks."
                : $"taking over the lease of {holder.DeploymentId}: its holder {holder.Owner} ran on this machine and its process is gone."));
            result = await store.TakeOverLeaseAsync(wanted, holder, cancellationToken);
        }

        if (result.Acquired)
        {
            lock (_gate)
            {
                (_leaseId, _renewedAt, _lost) = (deploymentId, now, null);
            }

            return null;
        }

        return result.Holder is { } other
            ? $"deployment {other.DeploymentId} by {other.Owner} holds {platform.Target} until {other.ExpiresAt:u} (renewed while it runs). " +
              "Fix: wait for it to finish, or stop it with `zdp abort`; a dead run's lease expires by itself and `zdp resume` then takes over " +
              "(at once when it ran on this machine; from elsewhere `zdp rollback --take-over` if you know it is dead)."
            : $"the deployment lease of {platform.Target} could not be taken. Fix: run `zdp status` to see who deploys there, then try again.";
    }

    /// <summary>
    /// The fencing check before a change: throws <see cref="LeaseLostException"/> when this run's lease may no longer be
    /// its own. Costs no call: the lease's own expiry, by this run's clock, decides.
    /// </summary>
    public void EnsureHeld()
    {
        if (store is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_lost is null && _leaseId is not null && time.GetUtcNow() >= _renewedAt + options.LeaseDuration - options.LeaseSafetyMargin)
            {
                _lost = $"this run's lease on {platform.Target} ran out by its own clock (last renewed {_renewedAt:u}; the process was frozen or could not renew): another run may have taken over";
            }

            if (_lost is { } why)
            {
                throw new LeaseLostException($"{why}; stopped without touching the platform again, so that two runs never act at once. Fix: see `zdp status`.");
            }
        }
    }

    /// <summary>Renews when a quarter of the lease has passed since the last renewal; throws <see cref="LeaseLostException"/> when another run holds it.</summary>
    public async Task RenewIfDueAsync(CancellationToken cancellationToken)
    {
        string leaseId;
        lock (_gate)
        {
            if (store is null || _leaseId is null || time.GetUtcNow() - _renewedAt < options.LeaseDuration / 4)
            {
                return;
            }

            leaseId = _leaseId;
        }

        // A lease that lapsed by our own clock is never renewed: the store might grant it, after another run came and went.
        EnsureHeld();
        var now = time.GetUtcNow();
        var result = await store.TryAcquireLeaseAsync(new Lease(leaseId, options.Owner, now + options.LeaseDuration), cancellationToken);
        lock (_gate)
        {
            if (!result.Acquired)
            {
                _lost = result.Holder is { } holder
                    ? $"lost the deployment lease to {holder.DeploymentId} ({holder.Owner})"
                    : $"lost the deployment lease of {platform.Target}";
            }
            else if (_lost is null)
            {
                _renewedAt = now;
            }
        }

        EnsureHeld();
    }

    public void StartRenewing()
    {
        if (store is null || _background is not null)
        {
            return;
        }

        var stop = new CancellationTokenSource();
        var run = Task.Run(async () =>
        {
            while (true)
            {
                await Task.Delay(options.LeaseDuration / 4, time, stop.Token);
                try
                {
                    await RenewIfDueAsync(stop.Token);
                }
                catch (LeaseLostException)
                {
                    // Recorded: the run's next change or journal write stops it.
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    emit(new Warning(time.GetUtcNow(), $"could not renew the deployment lease: {e.Message}"));
                }
            }
        });
        _background = (stop, run);
    }

    /// <summary>Stops the background renewal and waits for it, so no renewal can land after the lease is released.</summary>
    public async Task StopRenewingAsync()
    {
        if (_background is not { } background)
        {
            return;
        }

        _background = null;
        await background.Stop.CancelAsync();
        try
        {
            await background.Run;
        }
        catch (OperationCanceledException)
        {
            // The renewal loop ends by cancellation.
        }

        background.Stop.Dispose();
    }

    /// <summary>Gives the lease back (best effort: a lease left held lapses by itself). A lost lease is not ours to give back.</summary>
    public async Task ReleaseAsync(string deploymentId)
    {
        await StopRenewingAsync();
        bool lost;
        lock (_gate)
        {
            lost = _lost is not null;
            _leaseId = null;
        }

        if (store is not null && !lost)
        {
            try
            {
                await store.ReleaseLeaseAsync(deploymentId, CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The outcome is already decided; the lease expires on its own.
            }
        }
    }

    /// <summary>"host/pid" written by a zdp on this machine whose process is gone: it cannot renew, so waiting out its lease serves nobody.</summary>
    private static bool IsProvablyDead(Lease holder)
    {
        var slash = holder.Owner.LastIndexOf('/');
        if (slash <= 0 || !string.Equals(holder.Owner[..slash], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(holder.Owner.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            // No process with that id.
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}

/// <summary>Another run took the lease, or it lapsed: this one must stop without acting, and must not roll back either.</summary>
internal sealed class LeaseLostException(string message) : Exception(message);
