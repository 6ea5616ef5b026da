using System.Net.Http;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Leases;
using ZdPipelines.Platforms.Azure.Spec;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// Azure App Service: web apps with a deployment slot that holds the new version. Blue-green swaps the slot into production
/// (and back, for a rollback: the previous version stays in the slot); swap with preview first applies production's settings
/// to the slot (the preview route); canary routes a share of production's traffic to the slot's host name with a ramp-up
/// rule, and promotes with a swap; rolling swaps the slot of each app of a list, a batch at a time, in place. The journal is
/// tags on the (first) app; the lease is a tag there too, or an Azure Storage blob lease when the spec names a blob.
/// </summary>
/// <remarks>
/// Sides: stable is what production serves when the deployment starts, candidate what the slot holds then. A swap exchanges
/// them, and ARM shows no versions, so which slot holds which comes from the swaps the deployment made
/// (<see cref="SwapLedger"/>, journalled). Host names are always ARM's <c>defaultHostName</c>, never built.
/// </remarks>
internal sealed class AppServicePlatform : IPlatform, ITrafficSwitch, IWeightedTrafficSplit, IPreviewRoute, ITargetUpdater, IDeploymentStore, IDisposable
{
    public const string PlatformKind = "azure-app-service";

    private const string Production = CsmSlotEntity.ProductionSlotName;

    private readonly DeploymentSpec _spec;
    private readonly AzureAppServiceOptions _block;
    private readonly bool _rolling;
    private readonly ArmClients _arm;
    private readonly IDisposable? _owned;
    private readonly TimeProvider _time;
    private readonly AppServicePlatformOptions _options;
    private readonly IReadOnlyList<WebApp> _apps;
    private readonly AppServiceCalls _calls;
    private readonly AppServiceTagStore _store;
    private readonly IAppServiceLease _lease;
    private readonly SlotHealthProbe _probe;
    private readonly SemaphoreSlim _ledgerGate = new(1, 1);

    private SwapLedger? _ledger;
    private string? _bound;

    /// <param name="spec">The validated spec; its azureAppService block names the apps, and its strategy says whether they roll.</param>
    /// <param name="arm">The ARM clients, signed in.</param>
    /// <param name="dataPlane">Reaches the apps' host names for health probes (keeps no cookies).</param>
    /// <param name="time">Every wait of the platform runs on it.</param>
    /// <param name="options">The platform's figures; null for the defaults.</param>
    /// <param name="owned">Disposed with the platform.</param>
    /// <param name="blobLease">The blob lease, signed in, when the spec's block has <c>lease</c>; null for the app's tag.</param>
    public AppServicePlatform(
        DeploymentSpec spec, ArmClients arm, HttpClient dataPlane, TimeProvider time, AppServicePlatformOptions? options = null, IDisposable? owned = null, BlobLease? blobLease = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(arm);
        ArgumentNullException.ThrowIfNull(dataPlane);
        _spec = spec;
        _block = spec.Platform.OptionsAs<AzureAppServiceOptions>();
        _rolling = spec.Strategy.Rolling is not null;
        _arm = arm;
        _owned = owned;
        _time = time;
        _options = options ?? new AppServicePlatformOptions();
        _apps = [.. _block.AppReferences.Select(a =>
        {
            var site = WebAppIds.Site(_block.SubscriptionId, a.ResourceGroup, a.Name);
            return new WebApp(a.Name, a.ResourceGroup, site, WebAppIds.Slot(site, _block.Slot));
        })];
        _calls = new AppServiceCalls(_block.SubscriptionId, _block.Slot);
        _store = new AppServiceTagStore(arm.Tags, _apps[0], _calls, _options.MaxJournalTags);
        if (_block.Lease is not null && blobLease is null)
        {
            throw new ArgumentException("the spec names a lease blob (platform.azureAppService.lease); pass the BlobLease signed in for it", nameof(blobLease));
        }

        _lease = blobLease ?? (IAppServiceLease)new AppServiceLease(_store, time, _options.LeaseSettleDelay);
        _probe = new SlotHealthProbe(dataPlane, _block.HealthPath, _options.HealthProbeTimeout, time);
    }

    /// <summary>
    /// The platform with its own clients: the credentials the spec names (or the default chain), the cloud's endpoints, and a
    /// data-plane client that honours HTTP(S)_PROXY. Reads nothing yet; <see cref="VerifyAsync"/> checks the resources.
    /// </summary>
    public static AppServicePlatform Connect(PlatformOpening opening, Func<string, string?> environment) =>
        Connect(opening, new AppServiceConnection(environment));

    /// <summary>As <see cref="Connect(PlatformOpening, Func{string, string?})"/>, with the transports a test points at the emulator.</summary>
    internal static AppServicePlatform Connect(PlatformOpening opening, AppServiceConnection connection)
    {
        ArgumentNullException.ThrowIfNull(opening);
        ArgumentNullException.ThrowIfNull(connection);
        var block = opening.Spec.Platform.OptionsAs<AzureAppServiceOptions>();
        AzureCredentialSource credential;
        try
        {
            credential = AzureCredentialSource.Create(AppServiceCredentials.From(block, opening, connection.Environment) with { Transport = connection.EntraTransport });
        }
        catch (ArgumentException e)
        {
            throw new PlatformException($"the Azure credentials of platform.azureAppService.credentials are not usable: {e.Message}", e);
        }

        var clientOptions = new ArmClientOptions
        {
            ResourceManagerEndpoint = block.ResourceManagerEndpoint is { } endpoint ? new Uri(endpoint) : ArmClientDefaults.ResourceManagerEndpoint,
            Transport = connection.ArmTransport,
        };
        var arm = new ArmClients(clientOptions, credential, opening.Time);
        var http = connection.DataPlane ?? new HttpClient(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) });
        // The same identity signs in to Storage as to ARM: one credential, its own token for https://storage.azure.com/.default.
        var blobLease = block.Lease is { } lease
            ? BlobLease.Connect(new Uri(lease.BlobUrl), credential.Credential, credential.Description, opening.Time, connection.BlobLease)
            : null;
        return new AppServicePlatform(opening.Spec, arm, http, opening.Time, connection.Options, owned: connection.DataPlane is null ? http : null, blobLease);
    }

    public string Kind => PlatformKind;

    /// <summary>The (first) app's site: the lease and journal are its tags.</summary>
    public string Target => _apps[0].SiteId.ToString();

    internal ArmClients Arm => _arm;

    internal IReadOnlyList<WebApp> Apps => _apps;

    internal AppServicePlatformOptions Options => _options;

    internal IAppServiceLease Lease => _lease;

    private IReadOnlyList<string> AppNames => [.. _apps.Select(a => a.Name)];

    public void Dispose()
    {
        _owned?.Dispose();
        _ledgerGate.Dispose();
    }

    /// <summary>
    /// Reads every app, its slot, their configuration and the sticky settings (reads only), so a wrong subscription, group,
    /// app or slot, or a missing role, is one <see cref="PlatformException"/> before anything changes. Returns what a plan
    /// should say about the live state: a slot that is not running, routing by hand or by auto ramp-up, sticky settings, a
    /// pending swap with preview, and how the strategy meets App Service (the routing cookie, the lease).
    /// </summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(PlatformUse use, CancellationToken cancellationToken)
    {
        var reader = new AppServiceStateReader(_arm.WebApps);
        // The lease blob is read too (a missing container or role is one message before anything changes).
        await _lease.VerifyAsync(cancellationToken);
        // The site first and alone: a missing app must be named as such, not as the slot that its absence also hides.
        await Task.WhenAll(_apps.Select(app => GetSiteAsync(app, cancellationToken)));
        var states = await Task.WhenAll(_apps.Select(app => _calls.RunAsync(() => reader.ReadAsync(app.SiteId, _block.Slot, cancellationToken), app)));
        var notes = new List<string>();
        for (var i = 0; i < _apps.Count; i++)
        {
            var prefix = _apps.Count > 1 ? $"{_apps[i].Name}: " : "";
            notes.AddRange(states[i].Warnings.Select(w => prefix + w));
        }

        if (use == PlatformUse.Change && states.FirstOrDefault(s => s.PendingPreview is not null) is { } pending
            && (await _store.ReadAsync(cancellationToken)).Journal is not { Journal.Status: DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.RollingBack })
        {
            var (source, target) = pending.PendingPreview!.Value;
            throw new PlatformException(
                $"web app '{pending.SiteId.Name}' has a swap with preview of '{source}' into '{target}' pending, which zdp did not start; App Service refuses other swaps until it ends. " +
                $"Fix: complete it (`az webapp deployment slot swap -g {pending.SiteId.ResourceGroupName} -n {pending.SiteId.Name} --slot {source} --action swap`) or cancel it (`--action reset`), then deploy again.",
                PlatformErrorKind.Unsuitable);
        }

        if (_block.SwapWithPreview)
        {
            notes.Add($"swap with preview: 'point the preview route at candidate' applies production's settings to slot '{_block.Slot}' (applySlotConfig) and waits for it to answer {_block.HealthPath} again; " +
                "gates on {preview} then see the slot as production will run it; 'switch all traffic to candidate' completes the swap; a rollback before it resets the slot's settings (resetSlotConfig).");
        }

        if (_spec.Strategy.Canary is not null)
        {
            notes.Add($"canary: App Service pins every client its ramp-up rule sends to slot '{_block.Slot}' there with the x-ms-routing-name cookie for an hour: " +
                "after an abort those clients still reach the slot until their cookie expires, and after promotion they reach the previous version left in the slot. " +
                "azureMonitor gates with side: candidate read the slot's own metrics, which count them.");
        }

        notes.Add(_lease.Note);
        return notes;
    }

    public async Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(cancellationToken);
        var views = await Task.WhenAll(_apps.Select(app => ReadAsync(app, withSlot: !_rolling, cancellationToken)));
        return _rolling ? RollingSnapshot(views, ledger) : SlotSnapshot(views[0], ledger);
    }

    /// <summary>Blue-green and canary: production and the slot of the one app, each on the side of the version it holds.</summary>
    private PlatformSnapshot SlotSnapshot(AppView view, SwapLedger ledger)
    {
        var app = view.App;
        var slot = view.Slot!;
        var swappedIn = ledger[app.Name].ProductionHoldsCandidate(view.Site.SlotSwapStatus?.TimestampUtc);
        var slotShare = SlotRouting.PercentageFor(view.Rules, slot.DefaultHostName!);
        // A rule's share goes to the slot, so it is the candidate's while the slot holds it and stable's once swapped.
        var candidateShare = slotShare <= 0 ? 0 : swappedIn ? 100 - slotShare : slotShare;
        var productionSide = swappedIn ? Side.Candidate : Side.Stable;
        var slotSide = swappedIn ? Side.Stable : Side.Candidate;
        var pending = string.Equals(slot.TargetSwapSlot, Production, StringComparison.OrdinalIgnoreCase);
        TargetStatus[] targets =
        [
            new($"{app.Name}/{Production}", productionSide, true, Health(view.Site, view.SiteAnswers)),
            new($"{app.Name}/{_block.Slot}", slotSide, true, Health(slot, view.SlotAnswers)),
        ];
        return new PlatformSnapshot
        {
            ActiveSide = productionSide,
            CandidateWeight = (int)Math.Round(candidateShare, MidpointRounding.AwayFromZero),
            Targets = [.. targets.OrderBy(t => t.Side).ThenBy(t => t.Id, StringComparer.Ordinal)],
            Timings = Timings(),
            Address = _block.ProductionUrl ?? $"https://{view.Site.DefaultHostName}",
            PreviewAddress = _block.PreviewUrl ?? $"https://{slot.DefaultHostName}",
            // Swap with preview: the "preview route" is production's settings applied to the slot; it shows the candidate while
            // that swap is pending, and nothing (stable's own production) otherwise.
            PreviewSide = _block.SwapWithPreview ? pending ? Side.Candidate : Side.Stable : null,
            UpdatesInPlace = true,
        };
    }

    /// <summary>Rolling: one target per app, on the stable side, updated once its slot has been swapped into production.</summary>
    private PlatformSnapshot RollingSnapshot(IReadOnlyList<AppView> views, SwapLedger ledger) => new()
    {
        Targets = [.. views.Select(v => new TargetStatus(
            v.App.Name, Side.Stable, true, Health(v.Site, v.SiteAnswers), ledger[v.App.Name].ProductionHoldsCandidate(v.Site.SlotSwapStatus?.TimestampUtc)))],
        Timings = Timings(),
        UpdatesInPlace = true,
    };

    private PlatformTimings Timings() => new()
    {
        HealthCheckInterval = _options.ProbeInterval,
        HealthyThreshold = 1,
        DeregistrationDelay = TimeSpan.Zero,
        SwitchDuration = _options.SwapDuration,
        UpdateDuration = _options.SwapDuration,
    };

    /// <summary>Running and answering its health path is healthy; running but silent is still starting; anything else is down.</summary>
    private static TargetHealth Health(WebSiteData slot, bool answers) =>
        slot.IsRunning ? answers ? TargetHealth.Healthy : TargetHealth.Initial : TargetHealth.Unhealthy;

    public async Task SwitchAsync(Side to, CancellationToken cancellationToken)
    {
        var app = SingleApp();
        var site = await GetSiteAsync(app, cancellationToken);
        var ledger = await LedgerAsync(cancellationToken);
        var productionSide = ledger[app.Name].ProductionHoldsCandidate(site.SlotSwapStatus?.TimestampUtc) ? Side.Candidate : Side.Stable;
        if (productionSide != to)
        {
            // With a swap with preview pending, the swap of the same two slots completes it.
            await SwapAsync(app, site, cancellationToken);
        }

        // Promotion or rollback leaves no share of production's traffic routed to the slot: it now holds the other version.
        await SetSlotShareAsync(app, 0, cancellationToken);
    }

    public async Task SetCandidateWeightAsync(int percent, CancellationToken cancellationToken)
    {
        var app = SingleApp();
        var site = await GetSiteAsync(app, cancellationToken);
        var swappedIn = (await LedgerAsync(cancellationToken))[app.Name].ProductionHoldsCandidate(site.SlotSwapStatus?.TimestampUtc);
        await SetSlotShareAsync(app, swappedIn ? 100 - percent : percent, cancellationToken);
    }

    /// <summary>Swap with preview: the candidate's preview is production's settings applied to the slot; stable's is none (reset).</summary>
    public async Task PointPreviewAsync(Side to, CancellationToken cancellationToken)
    {
        if (!_block.SwapWithPreview)
        {
            return;
        }

        var app = SingleApp();
        var slot = await GetSlotAsync(app, cancellationToken);
        var pending = string.Equals(slot.TargetSwapSlot, Production, StringComparison.OrdinalIgnoreCase);
        if (to == Side.Stable)
        {
            if (pending)
            {
                await _calls.RunAsync(() => _arm.WebApps.ResetProductionSlotConfigAsync(app.SiteId, cancellationToken), app);
            }

            return;
        }

        var site = await GetSiteAsync(app, cancellationToken);
        if (pending || (await LedgerAsync(cancellationToken))[app.Name].ProductionHoldsCandidate(site.SlotSwapStatus?.TimestampUtc))
        {
            return;
        }

        await _calls.RunAsync(() => _arm.WebApps.ApplySlotConfigToProductionAsync(app.SiteId, new CsmSlotEntity(_block.Slot, PreserveVnet: true), cancellationToken), app);
        // applySlotConfig restarts the slot's instances with production's settings: gates must not meet it half-started.
        await WaitSlotAnswersAsync(app, cancellationToken);
    }

    /// <summary>Rolling: swaps the slot of each app into production (or back), the batch at once; apps already there are left alone.</summary>
    public Task UpdateAsync(IReadOnlyList<string> targets, bool toPrevious, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var apps = targets.Select(name => _apps.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new PlatformException($"'{name}' is not one of the apps of platform.azureAppService.apps. Fix: run `zdp status` to see the apps zdp knows.")).ToList();
        return Task.WhenAll(apps.Select(app => UpdateAppAsync(app, toPrevious, cancellationToken)));
    }

    private async Task UpdateAppAsync(WebApp app, bool toPrevious, CancellationToken cancellationToken)
    {
        var site = await GetSiteAsync(app, cancellationToken);
        var swappedIn = (await LedgerAsync(cancellationToken))[app.Name].ProductionHoldsCandidate(site.SlotSwapStatus?.TimestampUtc);
        if (swappedIn != toPrevious)
        {
            return;
        }

        if (!toPrevious)
        {
            // The new version must run and answer in the slot before it swaps in.
            await WaitSlotAnswersAsync(app, cancellationToken);
        }

        await SwapAsync(app, site, cancellationToken);
    }

    /// <summary>
    /// Swaps the slot with production and waits for the end of the long-running operation, then for the site to report the
    /// swap (its slotSwapStatus), and counts it: the count says which slot holds which version from now on.
    /// </summary>
    private async Task SwapAsync(WebApp app, WebSiteData before, CancellationToken cancellationToken)
    {
        var reportedBefore = AppSwaps.Truncate(before.SlotSwapStatus?.TimestampUtc);
        var swapsBefore = (await LedgerAsync(cancellationToken))[app.Name].Live(reportedBefore);
        await _calls.RunAsync(() => _arm.WebApps.SwapSlotAsync(WaitUntil.Completed, app.SlotId, new CsmSlotEntity(Production, PreserveVnet: true), cancellationToken), app);
        var began = _time.GetUtcNow();
        while (true)
        {
            var after = await GetSiteAsync(app, cancellationToken);
            var reported = AppSwaps.Truncate(after.SlotSwapStatus?.TimestampUtc);
            if (reported != reportedBefore)
            {
                (await LedgerAsync(cancellationToken)).RecordSwap(app.Name, swapsBefore, reported);
                return;
            }

            if (_time.GetUtcNow() - began >= _options.SwapStatusWait)
            {
                throw new PlatformException(
                    $"ARM reported the swap of slot '{_block.Slot}' into production of web app '{app.Name}' done, but the app's slotSwapStatus still shows the swap before it after {Durations.Format(_options.SwapStatusWait)}, " +
                    "so zdp cannot tell which slot holds which version. Fix: check both slots (`az webapp show` and `--slot`), then run `zdp status` and `zdp resume` or `zdp rollback`.");
            }

            await Task.Delay(_options.ProbeInterval, _time, cancellationToken);
        }
    }

    /// <summary>Sets the share of production's traffic the ramp-up rule sends to the slot's host name, every other rule kept.</summary>
    private async Task SetSlotShareAsync(WebApp app, double share, CancellationToken cancellationToken)
    {
        var slot = await GetSlotAsync(app, cancellationToken);
        var config = await _calls.RunAsync(() => _arm.WebApps.GetConfigurationAsync(app.SiteId, cancellationToken), app);
        var host = slot.DefaultHostName!;
        if (Math.Abs(SlotRouting.PercentageFor(config.RampUpRules, host) - share) < 0.001)
        {
            return;
        }

        IReadOnlyList<RampUpRule> rules;
        try
        {
            rules = SlotRouting.WithPercentage(config.RampUpRules, host, _block.Slot, share);
        }
        catch (ArgumentException e)
        {
            throw new PlatformException($"cannot route {share} % of production's traffic of web app '{app.Name}' to slot '{_block.Slot}': {e.Message} Fix: lower or remove the other routing rules (Deployment slots → Traffic %).", e);
        }

        await _calls.RunAsync(() => _arm.WebApps.UpdateConfigurationAsync(app.SiteId, new SiteConfigPatch(rules), cancellationToken), app);
    }

    /// <summary>Waits until the slot runs and answers its health path, at most timeouts.healthy; a slot that never does fails the step.</summary>
    private async Task WaitSlotAnswersAsync(WebApp app, CancellationToken cancellationToken)
    {
        var began = _time.GetUtcNow();
        while (true)
        {
            var slot = await GetSlotAsync(app, cancellationToken);
            if (slot.IsRunning && await _probe.AnswersAsync(slot.DefaultHostName!, production: false, cancellationToken))
            {
                return;
            }

            if (_time.GetUtcNow() - began >= _spec.Timeouts.Healthy)
            {
                throw new PlatformException(
                    $"slot '{_block.Slot}' of web app '{app.Name}' is {slot.State ?? "in an unknown state"} and does not answer {_block.HealthPath} with a 2xx on {slot.DefaultHostName} " +
                    $"within timeouts.healthy ({Durations.Format(_spec.Timeouts.Healthy)}). Fix: deploy a version that starts and answers there, or correct platform.azureAppService.healthPath.");
            }

            await Task.Delay(_options.ProbeInterval, _time, cancellationToken);
        }
    }

    /// <summary>
    /// The site or slot resources that hold <paramref name="side"/> now, for Azure Monitor, each with the time it took that
    /// version in (its swap), when that happened during the deployment: metrics before it belong to the other version.
    /// </summary>
    internal async Task<IReadOnlyList<MetricSource>> MetricSourcesAsync(Side side, CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(cancellationToken);
        var sites = await Task.WhenAll(_apps.Select(app => GetSiteAsync(app, cancellationToken)));
        var sources = new List<MetricSource>();
        for (var i = 0; i < _apps.Count; i++)
        {
            var app = _apps[i];
            var reported = sites[i].SlotSwapStatus?.TimestampUtc;
            var swaps = ledger[app.Name];
            DateTimeOffset? since = swaps.Live(reported) > 0 ? reported : null;
            var swappedIn = swaps.ProductionHoldsCandidate(reported);
            if (_rolling)
            {
                if (swappedIn == (side == Side.Candidate))
                {
                    sources.Add(new MetricSource(app.SiteId, $"production of web app '{app.Name}'", since));
                }

                continue;
            }

            var inProduction = swappedIn == (side == Side.Candidate);
            sources.Add(inProduction
                ? new MetricSource(app.SiteId, $"production of web app '{app.Name}'", since)
                : new MetricSource(app.SlotId, $"slot '{_block.Slot}' of web app '{app.Name}'", since));
        }

        return sources;
    }

    public async Task<LeaseResult> TryAcquireLeaseAsync(Lease wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return await BindAsync(wanted, await _lease.TryAcquireAsync(wanted, cancellationToken), cancellationToken);
    }

    /// <summary>A dead run's lease (`--take-over`, or its process is gone): only the blob lease can replace exactly that holder.</summary>
    public async Task<LeaseResult> TakeOverLeaseAsync(Lease wanted, Lease holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return await BindAsync(wanted, await _lease.TakeOverAsync(wanted, holder, cancellationToken), cancellationToken);
    }

    private async Task<LeaseResult> BindAsync(Lease wanted, LeaseResult result, CancellationToken cancellationToken)
    {
        if (!result.Acquired || !_lease.Holds(wanted.DeploymentId) || _bound == wanted.DeploymentId)
        {
            return result;
        }

        // This process now acts for this deployment: a new one counts swaps from what production holds now, a resumed or
        // rolled-back one from its journal.
        var stored = await _store.ReadAsync(cancellationToken);
        await _ledgerGate.WaitAsync(cancellationToken);
        try
        {
            _bound = wanted.DeploymentId;
            _ledger = stored.Journal is var (journal, extras) && journal.DeploymentId == wanted.DeploymentId && SwapLedger.FromExtras(extras, AppNames) is { } kept
                ? kept
                : await FreshLedgerAsync(cancellationToken);
        }
        finally
        {
            _ledgerGate.Release();
        }

        return result;
    }

    public Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken) => _lease.ReleaseAsync(deploymentId, cancellationToken);

    /// <summary>
    /// The journal without its plan (tags have no room for it): the engine rebuilds the plan from the spec and the recorded
    /// start, to which this adds what tags do not keep and the planner needs (App Service updates in place; its timings).
    /// </summary>
    public async Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.ReadAsync(cancellationToken);
        if (stored.Journal is not var (journal, extras))
        {
            return null;
        }

        if (journal.DeploymentId == _bound || (_bound is null && IsUnfinished(journal.Status)))
        {
            if (SwapLedger.FromExtras(extras, AppNames) is { } kept)
            {
                _ledger = kept;
            }
        }

        return journal with { Start = journal.Start with { UpdatesInPlace = true, Timings = Timings() } };
    }

    public async Task WriteJournalAsync(Journal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var ledger = await LedgerAsync(cancellationToken);
        await _store.WriteJournalAsync(journal, ledger.ToExtras(AppNames), cancellationToken);
    }

    /// <summary>
    /// The swaps counted so far. Unknown until first needed: then an unfinished deployment's journal gives them; otherwise
    /// none were made, and production holds the stable version. A finished blue-green deployment's sides are used only by
    /// the run bound to it (`zdp rollback`): a new deployment plans against what production serves now.
    /// </summary>
    private async Task<SwapLedger> LedgerAsync(CancellationToken cancellationToken)
    {
        if (_ledger is { } known)
        {
            return known;
        }

        await _ledgerGate.WaitAsync(cancellationToken);
        try
        {
            if (_ledger is null)
            {
                var stored = await _store.ReadAsync(cancellationToken);
                _ledger = stored.Journal is var (journal, extras) && (journal.DeploymentId == _bound || (_bound is null && IsUnfinished(journal.Status)))
                    && SwapLedger.FromExtras(extras, AppNames) is { } kept
                    ? kept
                    : await FreshLedgerAsync(cancellationToken);
            }

            return _ledger;
        }
        finally
        {
            _ledgerGate.Release();
        }
    }

    private async Task<SwapLedger> FreshLedgerAsync(CancellationToken cancellationToken)
    {
        var sites = await Task.WhenAll(_apps.Select(app => GetSiteAsync(app, cancellationToken)));
        return SwapLedger.Fresh(_apps.Select((app, i) => (app.Name, sites[i].SlotSwapStatus?.TimestampUtc)));
    }

    private async Task<AppView> ReadAsync(WebApp app, bool withSlot, CancellationToken cancellationToken)
    {
        // Rolling needs production only; one app also needs its slot and production's routing rules.
        var siteRead = GetSiteAsync(app, cancellationToken);
        var slotRead = withSlot ? GetSlotAsync(app, cancellationToken) : null;
        var configRead = withSlot ? _calls.RunAsync(() => _arm.WebApps.GetConfigurationAsync(app.SiteId, cancellationToken), app) : null;
        await Task.WhenAll(new Task?[] { siteRead, slotRead, configRead }.OfType<Task>());
        var site = await siteRead;
        var slot = slotRead is null ? null : await slotRead;
        var rules = configRead is null ? [] : (await configRead).RampUpRules;
        var answers = await Task.WhenAll(
            ProbeAsync(site, production: true, cancellationToken),
            slot is null ? Task.FromResult(false) : ProbeAsync(slot, production: false, cancellationToken));
        return new AppView(app, site, slot, rules, answers[0], answers[1]);
    }

    private Task<bool> ProbeAsync(WebSiteData slot, bool production, CancellationToken cancellationToken) =>
        slot.IsRunning && slot.DefaultHostName is { } host ? _probe.AnswersAsync(host, production, cancellationToken) : Task.FromResult(false);

    private Task<WebSiteData> GetSiteAsync(WebApp app, CancellationToken cancellationToken) =>
        _calls.RunAsync(() => _arm.WebApps.GetSiteAsync(app.SiteId, cancellationToken), app);

    private Task<WebSiteData> GetSlotAsync(WebApp app, CancellationToken cancellationToken) =>
        _calls.RunAsync(() => _arm.WebApps.GetSlotAsync(app.SlotId, cancellationToken), app);

    private WebApp SingleApp() => _rolling || _apps.Count != 1
        ? throw new InvalidOperationException("the rolling strategy swaps apps through UpdateAsync; switches and weights are for one app")
        : _apps[0];

    private static bool IsUnfinished(DeploymentStatus status) => status is DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.RollingBack;

    private sealed record AppView(WebApp App, WebSiteData Site, WebSiteData? Slot, IReadOnlyList<RampUpRule> Rules, bool SiteAnswers, bool SlotAnswers);
}

/// <summary>
/// What <see cref="AppServicePlatform.Connect(PlatformOpening, AppServiceConnection)"/> takes besides the spec: where environment
/// variables come from, and (tests) the transports to ARM, to Entra ID and to the data plane, the platform's figures, and the
/// blob lease's bounds and transport to Storage.
/// </summary>
internal sealed record AppServiceConnection(
    Func<string, string?> Environment,
    HttpPipelineTransport? ArmTransport = null,
    HttpPipelineTransport? EntraTransport = null,
    HttpClient? DataPlane = null,
    AppServicePlatformOptions? Options = null,
    BlobLeaseOptions? BlobLease = null);

/// <summary>A resource whose Azure Monitor metrics belong to one side, and since when (its swap), if that is recent.</summary>
internal sealed record MetricSource(ResourceIdentifier ResourceId, string Label, DateTimeOffset? Since);
