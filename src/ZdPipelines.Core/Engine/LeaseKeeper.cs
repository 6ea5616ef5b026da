using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Core.Engine;

/// <summary>
/// Takes, renews and releases a run's lease on the target, so two runs never act on one target at once. While a run
/// works it renews in the background too: a long pause or gate makes no platform calls, and its lease must not lapse
/// and let a second run in. A renewal that finds the lease taken stops the run without touching the platform again.
/// </summary>
internal sealed class LeaseKeeper(IPlatform platform, IDeploymentStore? store, TimeProvider time, EngineOptions options, Action<DeploymentEvent> emit)
{
    private string? _leaseId;
    private DateTimeOffset _renewedAt;
    private (CancellationTokenSource Stop, Task Run)? _background;

    /// <summary>Null when the lease is ours now; otherwise the message saying who holds it.</summary>
    public async Task<string?> TryAcquireAsync(string deploymentId, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var result = await store.TryAcquireLeaseAsync(new Lease(deploymentId, options.Owner, now + options.LeaseDuration), cancellationToken);
        if (result.Acquired)
        {
            _leaseId = deploymentId;
            _renewedAt = now;
            return null;
        }

        var holder = result.Holder!;
        return $"deployment {holder.DeploymentId} by {holder.Owner} holds {platform.Target} until {holder.ExpiresAt:u} (renewed while it runs). " +
            "Fix: wait for it to finish, or stop it with `zdp abort`; a dead run's lease expires by itself and `zdp resume` then takes over.";
    }

    /// <summary>Renews when a quarter of the lease has passed since the last renewal; throws <see cref="LeaseLostException"/> when another run holds it.</summary>
    public async Task RenewIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (store is null || _leaseId is null || now - _renewedAt < options.LeaseDuration / 4)
        {
            return;
        }

        var result = await store.TryAcquireLeaseAsync(new Lease(_leaseId, options.Owner, now + options.LeaseDuration), cancellationToken);
        if (!result.Acquired)
        {
            throw new LeaseLostException($"lost the deployment lease to {result.Holder?.DeploymentId} ({result.Holder?.Owner}); stopped without touching the platform again, so that two runs never act at once. Fix: see `zdp status`.");
        }

        _renewedAt = now;
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

    /// <summary>Gives the lease back (best effort: a lease left held lapses by itself).</summary>
    public async Task ReleaseAsync(string deploymentId)
    {
        await StopRenewingAsync();
        if (store is not null)
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

        _leaseId = null;
    }
}

/// <summary>Another run took the lease: this one must stop without acting, and must not roll back either.</summary>
internal sealed class LeaseLostException(string message) : Exception(message);
