using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// One upstream instance behind the proxy. Registration and health are changed only by
/// <see cref="DestinationTable"/> under its lock; the in-flight count is changed by requests.
/// </summary>
internal sealed class Destination : IDisposable
{
    private int _inFlight;
    private CancellationTokenSource _cutoff;
    private readonly TimeProvider _time;

    public Destination(string id, Side side, Uri address, TimeProvider time)
    {
        Id = id;
        Side = side;
        Address = address;
        _time = time;
        _cutoff = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    public string Id { get; }

    public Side Side { get; }

    public Uri Address { get; }

    /// <summary>
    /// Updated in place to the new version (rolling): its requests count as the candidate's in the
    /// metrics, because "candidate" means "the new version" to a gate.
    /// </summary>
    public bool ServesNewVersion { get; set; }

    /// <summary>The side a request served by this destination counts toward in the metrics.</summary>
    public Side MetricsSide => ServesNewVersion ? Side.Candidate : Side;

    public bool Registered { get; private set; }

    /// <summary>Initial, Healthy or Unhealthy: what the health checks say while registered.</summary>
    public TargetHealth ProbeHealth { get; private set; } = TargetHealth.Initial;

    /// <summary>Bumped on every (re)registration so that a probe started before it cannot count after it.</summary>
    public int Generation { get; private set; }

    public DateTimeOffset? DeregisteredAt { get; private set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    private int ConsecutivePasses { get; set; }

    private int ConsecutiveFailures { get; set; }

    /// <summary>Starts a request; the token fires when the drain timeout of a deregistration ends.</summary>
    public CancellationToken Enter()
    {
        Interlocked.Increment(ref _inFlight);
        return Volatile.Read(ref _cutoff).Token;
    }

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public void Register()
    {
        Registered = true;
        DeregisteredAt = null;
        ResetHealth();
        if (_cutoff.IsCancellationRequested)
        {
            // Not disposed: a request holding a stale routing table may still read its token, and a
            // cancelled source has no timer left to release.
            Volatile.Write(ref _cutoff, new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time));
        }
        else
        {
            // Re-registered while draining: the pending cut-off must not abort the new requests.
            _cutoff.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    public void Deregister(TimeSpan drainTimeout)
    {
        Registered = false;
        DeregisteredAt = _time.GetUtcNow();
        // Like a load balancer's deregistration delay: in-flight requests get this long, then are cut off.
        _cutoff.CancelAfter(drainTimeout);
    }

    /// <summary>A restarted or re-registered instance proves its health again from the start.</summary>
    public void ResetHealth()
    {
        Generation++;
        ProbeHealth = TargetHealth.Initial;
        ConsecutivePasses = 0;
        ConsecutiveFailures = 0;
    }

    /// <summary>Applies one probe result; true when the health changed.</summary>
    public bool RecordProbe(bool passed, int healthyThreshold, int unhealthyThreshold)
    {
        var before = ProbeHealth;
        if (passed)
        {
            ConsecutivePasses++;
            ConsecutiveFailures = 0;
            if (ConsecutivePasses >= healthyThreshold)
            {
                ProbeHealth = TargetHealth.Healthy;
            }
        }
        else
        {
            ConsecutiveFailures++;
            ConsecutivePasses = 0;
            if (ConsecutiveFailures >= unhealthyThreshold)
            {
                ProbeHealth = TargetHealth.Unhealthy;
            }
        }

        return ProbeHealth != before;
    }

    /// <summary>The health a load balancer would report for this destination now.</summary>
    public TargetHealth Health(TimeSpan drainTimeout)
    {
        if (Registered)
        {
            return ProbeHealth;
        }

        return DeregisteredAt is { } at && InFlight > 0 && _time.GetUtcNow() < at + drainTimeout
            ? TargetHealth.Draining
            : TargetHealth.Unused;
    }

    public void Dispose() => _cutoff.Dispose();
}
