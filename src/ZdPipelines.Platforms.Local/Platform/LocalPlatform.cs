using System.Globalization;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Local.Proxy;
using ZdPipelines.Platforms.Local.State;

namespace ZdPipelines.Platforms.Local.Platform;

/// <summary>
/// The "local" platform: a <see cref="LocalProxy"/> in front of the upstreams named in the spec, with
/// lease and journal in files beside it.
/// Target ids are "stable-1", "stable-2", … and "candidate-1", … in the order the spec lists the URLs:
/// short enough for plan output, stable across runs of the same spec. <see cref="Targets"/> maps them to URLs.
/// </summary>
/// <remarks>
/// Not sealed only so that the internal <see cref="UpdatableLocalPlatform"/> can add <see cref="ITargetUpdater"/>
/// when an updater is given; the constructor is internal, so nothing outside derives from it.
/// </remarks>
public class LocalPlatform : IPlatform, IWeightedTrafficSplit, ITrafficSwitch, IPreviewRoute, ITargetPool, IPlatformMetrics, IDeploymentStore, ITargetVersionRecord, IAsyncDisposable
{
    public const string PlatformKind = "local";

    private readonly LocalPlatformOptions _spec;
    private readonly FileDeploymentStore _store;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _updated = new(StringComparer.Ordinal);

    internal LocalPlatform(LocalPlatformOptions spec, LocalProxy proxy, IReadOnlyList<LocalTarget> targets, FileDeploymentStore store)
    {
        _spec = spec;
        Proxy = proxy;
        Targets = targets;
        _store = store;
    }

    public string Kind => PlatformKind;

    /// <summary>The proxy address, e.g. http://127.0.0.1:8080.</summary>
    public string Target => ReportedTarget ?? Format(Proxy.Address);

    /// <summary>
    /// What <see cref="Target"/> says when the proxy does not listen where the spec says: `zdp plan` probes
    /// through a private proxy on a free port, but names the target the user deploys to.
    /// </summary>
    public string? ReportedTarget { get; set; }

    /// <summary>The proxy itself, for callers that want its traffic figures or fallbacks.</summary>
    public LocalProxy Proxy { get; }

    public IReadOnlyList<LocalTarget> Targets { get; }

    /// <summary>
    /// Starts the proxy on <see cref="LocalPlatformOptions.Listen"/> with every upstream of the spec registered
    /// (each Initial until its health checks pass). With an <paramref name="updater"/> the platform also
    /// updates targets itself (<see cref="ITargetUpdater"/>).
    /// </summary>
    public static async Task<LocalPlatform> StartAsync(
        LocalPlatformOptions spec,
        TimeProvider timeProvider,
        LocalTargetUpdater? updater,
        CancellationToken cancellationToken)
    {
        var targets = TargetsOf(spec);
        var proxy = new LocalProxy(
            new LocalProxyOptions { Listen = spec.Listen, HealthCheck = spec.HealthCheck, DrainTimeout = spec.DrainTimeout },
            timeProvider);
        try
        {
            foreach (var target in targets)
            {
                proxy.AddDestination(target.Id, target.Side, target.Address);
            }

            await proxy.StartAsync(cancellationToken);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }

        var store = new FileDeploymentStore(spec.StateDirectory, timeProvider);
        return updater is null
            ? new LocalPlatform(spec, proxy, targets, store)
            : new UpdatableLocalPlatform(spec, proxy, targets, store, updater);
    }

    public Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken)
    {
        var state = Proxy.State();
        lock (_lock)
        {
            return Task.FromResult(new PlatformSnapshot
            {
                ActiveSide = state.ActiveSide,
                CandidateWeight = state.CandidateWeight,
                Targets = [.. state.Destinations.Select(d => new TargetStatus(d.Id, d.Side, d.Registered, d.Health, _updated.Contains(d.Id)))],
                Timings = new PlatformTimings
                {
                    HealthCheckInterval = _spec.HealthCheck.Interval,
                    HealthyThreshold = _spec.HealthCheck.HealthyThreshold,
                    DeregistrationDelay = _spec.DrainTimeout,
                },
                Address = Target,
                PreviewAddress = Format(Proxy.PreviewAddress),
                PreviewSide = Proxy.PreviewSide,
            });
        }
    }

    public Task SetCandidateWeightAsync(int percent, CancellationToken cancellationToken)
    {
        Proxy.SetCandidateWeight(percent);
        return Task.CompletedTask;
    }

    public Task SwitchAsync(Side to, CancellationToken cancellationToken)
    {
        Proxy.Switch(to);
        return Task.CompletedTask;
    }

    public Task PointPreviewAsync(Side to, CancellationToken cancellationToken)
    {
        Proxy.PointPreview(to);
        return Task.CompletedTask;
    }

    public Task DeregisterAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        foreach (var target in Resolve(targets))
        {
            Proxy.Deregister(target.Id);
        }

        return Task.CompletedTask;
    }

    public Task RegisterAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        foreach (var target in Resolve(targets))
        {
            Proxy.Register(target.Id);
        }

        return Task.CompletedTask;
    }

    public Task<Measurement> MeasureAsync(PlatformMetric metric, Side side, TimeSpan window, CancellationToken cancellationToken)
    {
        var traffic = Proxy.Traffic(side, window);
        var where = $"{side.ToString().ToLowerInvariant()} in the last {Durations.Format(window)}";
        // No requests is no data for every metric, requests included: the gate's noData policy decides,
        // so a quiet canary is not failed for silence.
        if (traffic.Requests == 0)
        {
            return Task.FromResult(Measurement.NoData($"no requests to {where}"));
        }

        return Task.FromResult(metric switch
        {
            PlatformMetric.Requests => new Measurement(traffic.Requests, traffic.Requests, $"{traffic.Requests} requests to {where}"),
            PlatformMetric.ErrorRate => new Measurement(traffic.ErrorRate, traffic.Requests, $"{traffic.Errors} of {traffic.Requests} requests to {where} failed"),
            PlatformMetric.LatencyP95Ms => new Measurement(traffic.LatencyP95Ms, traffic.Requests, $"p95 of {traffic.Requests} requests to {where}"),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "The local platform does not record this metric."),
        });
    }

    public Task<LeaseResult> TryAcquireLeaseAsync(Lease wanted, CancellationToken cancellationToken) => _store.TryAcquireLeaseAsync(wanted, cancellationToken);

    public Task<LeaseResult> TakeOverLeaseAsync(Lease wanted, Lease holder, CancellationToken cancellationToken) => _store.TakeOverLeaseAsync(wanted, holder, cancellationToken);

    public Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken) => _store.ReleaseLeaseAsync(deploymentId, cancellationToken);

    public Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken) => _store.ReadJournalAsync(cancellationToken);

    public Task WriteJournalAsync(Journal journal, CancellationToken cancellationToken) => _store.WriteJournalAsync(journal, cancellationToken);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Proxy.DisposeAsync();
    }

    /// <summary>Looks up target ids, failing on the first unknown one before anything changes.</summary>
    internal IReadOnlyList<LocalTarget> Resolve(IReadOnlyList<string> ids) =>
        [.. ids.Select(id => Targets.FirstOrDefault(t => t.Id == id)
            ?? throw new ArgumentException(
                $"The local platform has no target '{id}'. Its targets are {string.Join(", ", Targets.Select(t => t.Id))}.", nameof(ids)))];

    /// <summary>An update hook has restarted these upstreams on the new version (or the old): count them so.</summary>
    public Task RecordUpdatedAsync(IReadOnlyList<string> targets, bool updated, CancellationToken cancellationToken)
    {
        foreach (var target in Resolve(targets))
        {
            MarkUpdated(target.Id, updated);
            Proxy.MarkNewVersion(target.Id, updated);
        }

        return Task.CompletedTask;
    }

    internal void MarkUpdated(string id, bool updated)
    {
        lock (_lock)
        {
            if (updated)
            {
                _updated.Add(id);
            }
            else
            {
                _updated.Remove(id);
            }
        }
    }

    private static List<LocalTarget> TargetsOf(LocalPlatformOptions spec)
    {
        var targets = new List<LocalTarget>();
        Add(Side.Stable, spec.Stable);
        if (spec.Candidate is { } candidate)
        {
            Add(Side.Candidate, candidate);
        }

        return targets;

        void Add(Side side, UpstreamGroupSpec group)
        {
            for (var i = 0; i < group.Targets.Count; i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{side.ToString().ToLowerInvariant()}-{i + 1}");
                if (!Uri.TryCreate(group.Targets[i], UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
                {
                    throw new ArgumentException($"Upstream '{group.Targets[i]}' ({id}) is not an absolute http(s) URL.", nameof(spec));
                }

                targets.Add(new LocalTarget(id, side, address));
            }
        }
    }

    private static string Format(Uri address) => address.GetLeftPart(UriPartial.Authority);
}
