using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Simulated;

/// <summary>
/// An in-memory load balancer with ALB semantics on an injected clock: a registered target is
/// <see cref="TargetHealth.Initial"/> until healthy-threshold × interval has passed, a deregistered one
/// drains for the deregistration delay. It records every safety violation it sees, so tests can assert
/// that none happened. Used by tests, `./build.sh Bench` and `platform.type: simulated`.
/// </summary>
public sealed class SimulatedPlatform : IPlatform, IWeightedTrafficSplit, ITrafficSwitch, ITargetPool, ITargetUpdater, ITargetVersionRecord, IPlatformMetrics, IDeploymentStore
{
    private readonly TimeProvider _time;
    private readonly SimulatedPlatformOptions _options;
    private readonly Dictionary<string, SimTarget> _targets = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly object _gate = new();
    private Side _active = Side.Stable;
    private int _weight;

    public SimulatedPlatform(SimulatedPlatformOptions options, TimeProvider time, bool candidatesRegistered = true, IDeploymentStore? store = null)
    {
        _options = options;
        _time = time;
        Store = store ?? new InMemoryDeploymentStore(time);
        var now = time.GetUtcNow();
        for (var i = 1; i <= options.StableTargets; i++)
        {
            _targets[$"stable-{i}"] = new SimTarget($"stable-{i}", Side.Stable) { RegisteredAt = now - Timings.TimeToHealthy, Registered = true };
        }

        for (var i = 1; i <= options.CandidateTargets; i++)
        {
            _targets[$"candidate-{i}"] = new SimTarget($"candidate-{i}", Side.Candidate) { RegisteredAt = candidatesRegistered ? now : null, Registered = candidatesRegistered, Updated = true };
        }
    }

    public string Kind => "simulated";

    public string Target => "simulated://lb";

    /// <summary>The lease and journal; shared between engine instances to simulate a restart.</summary>
    public IDeploymentStore Store { get; }

    public PlatformTimings Timings => new()
    {
        HealthCheckInterval = _options.HealthCheckInterval,
        HealthyThreshold = _options.HealthyThreshold,
        DeregistrationDelay = _options.DeregistrationDelay,
    };

    /// <summary>Healthy serving targets must never fall below this (set by a rolling test: N − maxUnavailable).</summary>
    public int CapacityFloor { get; set; }

    /// <summary>Every safety violation observed (empty when the deployment was safe).</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return _violations.ToList();
            }
        }
    }

    /// <summary>Mutating calls made (register, deregister, weight, switch, update).</summary>
    public int Mutations { get; private set; }

    /// <summary>Observations made.</summary>
    public int Observations { get; private set; }

    /// <summary>Called before each mutating call with its ordinal (1-based); a test can throw or hang here to simulate a crash.</summary>
    public Func<int, string, Task>? BeforeMutation { get; set; }

    /// <summary>Called after each mutating call has taken effect; a test can hang here to simulate a crash after the effect.</summary>
    public Func<int, string, Task>? AfterMutation { get; set; }

    /// <summary>Makes a target fail its health checks from now on (or pass again).</summary>
    public void SetFailing(string id, bool failing)
    {
        lock (_gate)
        {
            _targets[id].Failing = failing;
            CheckInvariants("health change of " + id);
        }
    }

    public Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Observations++;
            CheckInvariants("observation");
            return Task.FromResult(Snapshot());
        }
    }

    public PlatformSnapshot Snapshot()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            return new PlatformSnapshot
            {
                ActiveSide = _active,
                CandidateWeight = _weight,
                Targets = _targets.Values.Select(t => new TargetStatus(t.Id, t.Side, t.Registered, HealthOf(t, now), t.Updated && t.Side == Side.Stable)).ToList(),
                Timings = Timings,
                Address = "http://simulated.lb",
                PreviewAddress = "http://preview.simulated.lb",
            };
        }
    }

    public Task SetCandidateWeightAsync(int percent, CancellationToken cancellationToken) =>
        MutateAsync($"weight {percent}", () =>
        {
            if (percent is < 0 or > 100)
            {
                _violations.Add($"{_time.GetUtcNow():O} invalid weight {percent}");
            }

            _weight = percent;
        });

    public Task SwitchAsync(Side to, CancellationToken cancellationToken) =>
        MutateAsync($"switch {to}", () =>
        {
            _active = to;
            _weight = 0;
        });

    public Task RegisterAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken) =>
        MutateAsync($"register {string.Join(",", targets)}", () =>
        {
            foreach (var id in targets)
            {
                var t = Get(id);
                if (!t.Registered)
                {
                    t.Registered = true;
                    t.RegisteredAt = _time.GetUtcNow();
                    t.DeregisteredAt = null;
                }
            }
        });

    public Task DeregisterAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken) =>
        MutateAsync($"deregister {string.Join(",", targets)}", () =>
        {
            foreach (var id in targets)
            {
                var t = Get(id);
                if (t.Registered)
                {
                    t.Registered = false;
                    t.DeregisteredAt = _time.GetUtcNow();
                }
            }
        });

    public Task UpdateAsync(IReadOnlyList<string> targets, bool toPrevious, CancellationToken cancellationToken) =>
        MutateAsync($"update {string.Join(",", targets)}", () =>
        {
            var now = _time.GetUtcNow();
            foreach (var id in targets)
            {
                var t = Get(id);
                if (t.Registered || HealthOf(t, now) == TargetHealth.Draining)
                {
                    // Replacing a target that still serves requests drops those requests.
                    _violations.Add($"{now:O} {id} updated while still serving");
                }

                t.Updated = !toPrevious;
                t.UpdateCount++;
            }
        });

    /// <summary>An update hook (not this platform) changed the version: only the record changes.</summary>
    public Task RecordUpdatedAsync(IReadOnlyList<string> targets, bool updated, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var id in targets)
            {
                Get(id).Updated = updated;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>How many times each target was updated (a re-run must not update a target twice).</summary>
    public int UpdatesOf(string id)
    {
        lock (_gate)
        {
            return _targets[id].UpdateCount;
        }
    }

    public Task<Measurement> MeasureAsync(PlatformMetric metric, Side side, TimeSpan window, CancellationToken cancellationToken)
    {
        var snapshot = Snapshot();
        // Rolling updates targets in place: "candidate" then means the updated ones.
        var share = side == Side.Candidate
            ? Math.Max(snapshot.TrafficShare(Side.Candidate), snapshot.Targets.Any(t => t.Updated && t.Registered) ? 50 : 0)
            : snapshot.TrafficShare(Side.Stable);
        var requests = (int)(share * window.TotalSeconds);
        if (requests == 0)
        {
            return Task.FromResult(Measurement.NoData($"no requests reached {side.ToString().ToLowerInvariant()} in the last {Durations.Format(window)}"));
        }

        var value = metric switch
        {
            PlatformMetric.Requests => requests,
            PlatformMetric.ErrorRate => side == Side.Candidate ? _options.CandidateErrorRate : 0,
            _ => side == Side.Candidate ? 80 : 50,
        };
        return Task.FromResult(new Measurement(value, requests));
    }

    public Task<LeaseResult> TryAcquireLeaseAsync(Lease wanted, CancellationToken cancellationToken) => Store.TryAcquireLeaseAsync(wanted, cancellationToken);

    public Task<LeaseResult> TakeOverLeaseAsync(Lease wanted, Lease holder, CancellationToken cancellationToken) => Store.TakeOverLeaseAsync(wanted, holder, cancellationToken);

    public Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken) => Store.ReleaseLeaseAsync(deploymentId, cancellationToken);

    public Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken) => Store.ReadJournalAsync(cancellationToken);

    public Task WriteJournalAsync(Journal journal, CancellationToken cancellationToken) => Store.WriteJournalAsync(journal, cancellationToken);

    public bool KeepsSignalsApart => Store.KeepsSignalsApart;

    public Task WriteSignalsAsync(Journal journal, CancellationToken cancellationToken) => Store.WriteSignalsAsync(journal, cancellationToken);

    private async Task MutateAsync(string what, Action change)
    {
        int n;
        lock (_gate)
        {
            n = ++Mutations;
        }

        if (BeforeMutation is { } before)
        {
            await before(n, what);
        }

        lock (_gate)
        {
            change();
            CheckInvariants(what);
        }

        if (AfterMutation is { } after)
        {
            await after(n, what);
        }
    }

    private SimTarget Get(string id) =>
        _targets.TryGetValue(id, out var t) ? t : throw new ArgumentException($"target '{id}' is not in the simulated load balancer");

    private TargetHealth HealthOf(SimTarget t, DateTimeOffset now)
    {
        if (!t.Registered)
        {
            return t.DeregisteredAt is { } at && now - at < _options.DeregistrationDelay ? TargetHealth.Draining : TargetHealth.Unused;
        }

        if (t.Failing)
        {
            return TargetHealth.Unhealthy;
        }

        return t.RegisteredAt is { } since && now - since >= Timings.TimeToHealthy ? TargetHealth.Healthy : TargetHealth.Initial;
    }

    /// <summary>The safety invariants, checked on every observation and after every change.</summary>
    private void CheckInvariants(string after)
    {
        var now = _time.GetUtcNow();
        var s = new PlatformSnapshot
        {
            ActiveSide = _active,
            CandidateWeight = _weight,
            Targets = _targets.Values.Select(t => new TargetStatus(t.Id, t.Side, t.Registered, HealthOf(t, now))).ToList(),
        };
        foreach (var side in new[] { Side.Stable, Side.Candidate })
        {
            if (s.TrafficShare(side) > 0 && s.HealthyServing(side) == 0 && s.On(side).Any(t => t.Registered))
            {
                _violations.Add($"{now:O} after {after}: {s.TrafficShare(side)} % of traffic goes to {side} with no healthy target");
            }
        }

        var healthy = s.Targets.Count(t => t.Registered && t.Health == TargetHealth.Healthy && (t.Side == Side.Stable || _targets[t.Id].Updated));
        if (CapacityFloor > 0 && healthy < CapacityFloor && !_targets.Values.Any(t => t.Failing))
        {
            _violations.Add($"{now:O} after {after}: {healthy} healthy targets, below the floor of {CapacityFloor}");
        }
    }

    private sealed class SimTarget(string id, Side side)
    {
        public string Id { get; } = id;
        public Side Side { get; } = side;
        public bool Registered { get; set; }
        public DateTimeOffset? RegisteredAt { get; set; }
        public DateTimeOffset? DeregisteredAt { get; set; }
        public bool Failing { get; set; }
        public bool Updated { get; set; }
        public int UpdateCount { get; set; }
    }
}
