using System.Text;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// The proxy's routing state: destinations with their registration and health, the active side and the
/// candidate weight. Every change happens under one lock and ends by publishing a new
/// <see cref="RoutingTable"/>, so it takes effect for the next request.
/// </summary>
internal sealed class DestinationTable : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Destination> _destinations = [];
    private readonly TrafficRouter _router;
    private readonly HealthCheckSpec _healthCheck;
    private readonly TimeSpan _drainTimeout;
    private readonly TimeProvider _time;
    private Side _activeSide = Side.Stable;
    private int _candidateWeight;

    public DestinationTable(TrafficRouter router, HealthCheckSpec healthCheck, TimeSpan drainTimeout, TimeProvider time)
    {
        _router = router;
        _healthCheck = healthCheck;
        _drainTimeout = drainTimeout;
        _time = time;
        Publish();
    }

    public void Add(string id, Side side, Uri address, bool registered)
    {
        lock (_lock)
        {
            if (_destinations.Any(d => d.Id == id))
            {
                throw new ArgumentException($"The local proxy already has a destination '{id}'.", nameof(id));
            }

            var destination = new Destination(id, side, address, _time);
            _destinations.Add(destination);
            if (registered)
            {
                destination.Register();
            }

            Publish();
        }
    }

    public void Register(string id) => Change(id, d =>
    {
        if (!d.Registered)
        {
            d.Register();
        }
    });

    public void Deregister(string id) => Change(id, d =>
    {
        if (d.Registered)
        {
            d.Deregister(_drainTimeout);
        }
    });

    public void ResetHealth(string id) => Change(id, d => d.ResetHealth());

    public void MarkNewVersion(string id, bool updated) => Change(id, d => d.ServesNewVersion = updated);

    public void SetCandidateWeight(int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        lock (_lock)
        {
            _candidateWeight = percent;
            Publish();
        }
    }

    public void Switch(Side to)
    {
        lock (_lock)
        {
            _activeSide = to;
            Publish();
        }
    }

    /// <summary>The registered destinations to probe, each with the generation the result must match.</summary>
    public IReadOnlyList<(Destination Destination, int Generation)> ToProbe()
    {
        lock (_lock)
        {
            return [.. _destinations.Where(d => d.Registered).Select(d => (d, d.Generation))];
        }
    }

    /// <summary>True when no registered destination is still Initial: each has passed or failed its threshold.</summary>
    public bool EveryRegisteredJudged()
    {
        lock (_lock)
        {
            return _destinations.All(d => !d.Registered || d.ProbeHealth != TargetHealth.Initial);
        }
    }

    public void RecordProbe(Destination destination, int generation, bool passed)
    {
        lock (_lock)
        {
            if (!destination.Registered || destination.Generation != generation)
            {
                return;
            }

            if (destination.RecordProbe(passed, _healthCheck.HealthyThreshold, _healthCheck.UnhealthyThreshold))
            {
                Publish();
            }
        }
    }

    public ProxyState State()
    {
        lock (_lock)
        {
            return new ProxyState(
                _activeSide,
                _candidateWeight,
                [.. _destinations.Select(d => new DestinationStatus(d.Id, d.Side, d.Address, d.Registered, d.Health(_drainTimeout), d.InFlight))]);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var d in _destinations)
            {
                d.Dispose();
            }
        }
    }

    private void Change(string id, Action<Destination> change)
    {
        lock (_lock)
        {
            var destination = _destinations.FirstOrDefault(d => d.Id == id)
                ?? throw new ArgumentException(
                    $"The local proxy has no destination '{id}'. Known: {string.Join(", ", _destinations.Select(d => d.Id))}.", nameof(id));
            change(destination);
            Publish();
        }
    }

    private void Publish() => _router.Publish(new RoutingTable(
        _activeSide,
        _candidateWeight,
        Serving(Side.Stable),
        Serving(Side.Candidate),
        NoneHealthy(Side.Stable),
        NoneHealthy(Side.Candidate)));

    private Destination[] Serving(Side side) =>
        [.. _destinations.Where(d => d.Side == side && d.Registered && d.ProbeHealth == TargetHealth.Healthy)];

    /// <summary>
    /// The body of a 503 for a side with nothing to serve, made once per change rather than per request: it names
    /// each of the side's destinations and why it does not serve, so whoever reads it knows whose outage it is.
    /// </summary>
    private byte[] NoneHealthy(Side side)
    {
        var name = side.ToString().ToLowerInvariant();
        var reasons = _destinations
            .Where(d => d.Side == side)
            .Select(d => $"{d.Id} {(d.Registered ? d.ProbeHealth.ToString().ToLowerInvariant() : "deregistered")}")
            .ToList();
        return Encoding.UTF8.GetBytes(
            $"zdp local proxy: no healthy {name} upstream ({(reasons.Count == 0 ? "none configured" : string.Join(", ", reasons))})\n");
    }
}
