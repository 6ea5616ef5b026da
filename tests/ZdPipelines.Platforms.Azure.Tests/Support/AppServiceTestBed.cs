using Azure.Core;
using Microsoft.Extensions.Time.Testing;
using ZdPipelines.AzureEmulator;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.AzureEmulator.State;
using ZdPipelines.Cli;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Leases;
using ZdPipelines.Platforms.Azure.Spec;

namespace ZdPipelines.Platforms.Azure.Tests.Support;

/// <summary>
/// The real <see cref="DeploymentEngine"/> on an <see cref="AppServicePlatform"/> against the emulator, all on one fake clock
/// (swaps of 30 s, gates and pauses as the spec says): production of shop-api holds v1, its staging slot v2. Records the
/// slots, the routing and a pending preview after every step, and can send client traffic through the production host.
/// </summary>
internal sealed class AppServiceTestBed : IAsyncDisposable
{
    public const string HealthPath = "/health";

    /// <summary>What the platform is told a swap takes: the emulator's, so predictions can be compared with what happened.</summary>
    public static readonly TimeSpan SwapDuration = TimeSpan.FromSeconds(30);

    public static readonly EngineOptions Engine = new() { Owner = "test-runner/1", Random = new Random(7) };

    private readonly List<IDisposable> _owned = [];

    private AppServiceTestBed(AzureTestBed bed) => Bed = bed;

    public AzureTestBed Bed { get; }

    public ArmEmulator Emulator => Bed.Emulator;

    public EmulatedWebApp App => Bed.App;

    public EmulatedSlot Staging => Bed.App.Slot("staging");

    public static async Task<AppServiceTestBed> StartAsync(Func<ArmEmulatorOptions, ArmEmulatorOptions>? configure = null, EmulatedRole? role = null, FakeTimeProvider? time = null) =>
        new(await AzureTestBed.StartAsync(
            o => (configure?.Invoke(o) ?? o) with
            {
                SwapDuration = SwapDuration,
                HealthPath = HealthPath,
                // The fake clock may run hours ahead of the real one; tokens cached by Azure.Identity must outlive that.
                TokenLifetime = TimeSpan.FromDays(2),
            },
            role,
            time));

    /// <summary>
    /// A bed whose platforms can lease a blob in <paramref name="azurite"/>. Its fake clock starts an hour behind the real one:
    /// Azurite checks a token's not-before and expiry against the real clock, and the emulated Entra ID issues them by the
    /// fake one; an hour leaves room for the fake clock to run ahead during a test.
    /// </summary>
    public static async Task<AppServiceTestBed> StartWithAzuriteAsync(Azurite azurite)
    {
        var now = DateTimeOffset.UtcNow;
        var bed = await StartAsync(time: new FakeTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-1)));
        bed._azurite = azurite;
        bed._storageCredential = AzureCredentialSource.Create(bed.Bed.SecretCredential(bed.Bed.Principal));
        // Taken now, before any test drives the clock; every platform of the bed shares it, as one zdp process would.
        await bed._storageCredential.Credential.GetTokenAsync(new TokenRequestContext([StorageScope]), CancellationToken.None);
        bed.Container = "leases-" + Guid.NewGuid().ToString("N")[..12];
        await new global::Azure.Storage.Blobs.BlobContainerClient(new Uri($"{azurite.Endpoint}{Azurite.Account}/{bed.Container}"), bed._storageCredential.Credential,
            new global::Azure.Storage.Blobs.BlobClientOptions { Transport = azurite.CreateTransport() }).CreateAsync();
        return bed;
    }

    public const string StorageScope = "https://storage.azure.com/.default";

    private Azurite? _azurite;
    private AzureCredentialSource? _storageCredential;

    /// <summary>The container the bed made in Azurite for its lease blobs.</summary>
    public string Container { get; private set; } = "";

    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("start the bed with StartWithAzuriteAsync");

    /// <summary>The URL of a lease blob in the bed's container.</summary>
    public Uri LeaseBlob(string name = "shop-api.lease") => Azurite.BlobUrl(Container, name);

    /// <summary>A client of <paramref name="blob"/> for the test's own reads, signed in as the bed's principal (not tracked, not counted).</summary>
    public global::Azure.Storage.Blobs.BlobClient BlobClient(Uri blob) =>
        new(blob, _storageCredential!.Credential, new global::Azure.Storage.Blobs.BlobClientOptions { Transport = Azurite.CreateTransport() });

    /// <summary>
    /// A blob lease as the platform connects it (the bed's Entra ID credential, bearer tokens for Storage), on a transport whose
    /// requests <see cref="AzureTestBed.DriveAsync(Task, TimeSpan?)"/> waits for; <paramref name="outer"/> sees each first.
    /// </summary>
    public BlobLease LeaseOn(Uri blob, DelegatingHandler? outer = null) =>
        ZdPipelines.Platforms.Azure.Leases.BlobLease.Connect(blob, _storageCredential!.Credential, _storageCredential.Description, Bed.Time, new BlobLeaseOptions
        {
            Transport = Bed.TrackedTransport(Azurite.CreateHandler(), outer),
            // Azure.Core backs off on the real clock: keep it tiny so tests stay fast.
            RetryDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(20),
        });

    /// <summary>A second app (a second region) with production v1 and a staging slot v2, in its own resource group.</summary>
    public EmulatedWebApp AddApp(string name, string resourceGroup)
    {
        var app = Emulator.AddWebApp(AzureTestBed.SubscriptionId, resourceGroup, name, "v1", location: "North Europe");
        app.AddSlot("staging", "v2");
        return app;
    }

    /// <summary>The platform block for the emulator (app, or apps for rolling), then the caller's YAML.</summary>
    public DeploymentSpec Spec(string rest, string platform = "app: shop-api", bool preview = false, string slot = "staging", string resourceGroup = AzureTestBed.ResourceGroup, string subscription = AzureTestBed.SubscriptionId, Uri? lease = null)
    {
        var lines = new List<string>
        {
            "name: shop-api",
            "platform:",
            "  type: azureAppService",
            "  azureAppService:",
            $"    subscriptionId: {subscription}",
            $"    resourceGroup: {resourceGroup}",
            $"    {platform}",
            $"    slot: {slot}",
            $"    healthPath: {HealthPath}",
            $"    resourceManagerEndpoint: {Emulator.Endpoint.GetLeftPart(UriPartial.Authority)}",
            $"    authorityHost: {Emulator.Endpoint.GetLeftPart(UriPartial.Authority)}",
        };
        if (preview)
        {
            lines.Add("    swapWithPreview: true");
        }

        if (lease is not null)
        {
            lines.Add($"    lease: {{ blobUrl: {lease} }}");
        }

        var result = SpecReader.Read(string.Join('\n', lines) + "\n" + rest, "zdp.yml", ZdpModules.All);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Spec!;
    }

    /// <summary>The platform for <paramref name="spec"/>, signed in as the bed's principal (or <paramref name="clients"/>).</summary>
    public AppServicePlatform Platform(DeploymentSpec spec, ArmClients? clients = null, DelegatingHandler? outer = null, BlobLease? blobLease = null)
    {
        var http = Bed.TrackedDataPlaneClient();
        _owned.Add(http);
        var arm = clients ?? (outer is null ? Bed.Clients : new ArmClients(Bed.ClientOptions(outer), AzureCredentialSource.Create(Bed.SecretCredential(Bed.Principal)), Bed.Time));
        var options = new AppServicePlatformOptions { SwapDuration = SwapDuration, LeaseSettleDelay = TimeSpan.FromSeconds(2) };
        var lease = spec.Platform.OptionsAs<AzureAppServiceOptions>().Lease is { } named ? blobLease ?? LeaseOn(new Uri(named.BlobUrl), outer) : null;
        return new AppServicePlatform(spec, arm, http, Bed.Time, options, blobLease: lease);
    }

    public DeploymentEngine EngineFor(AppServicePlatform platform, Action<DeploymentEvent>? events = null, IHookRunner? hooks = null, EngineOptions? options = null) =>
        new(platform, new GateEvaluator(ZdpModules.All.AllGateSources.Select(m => m.CreateSource(platform, Bed.Time)).OfType<IGateSource>(), Bed.Time),
            hooks ?? new RecordingHooks(), Bed.Time, options ?? Engine, events);

    public async Task<DeploymentPlan> PlanAsync(DeploymentSpec spec, AppServicePlatform platform)
    {
        var snapshot = await Bed.DriveAsync(platform.ObserveAsync(CancellationToken.None));
        var result = DeploymentPlanner.Plan(spec, platform.Capabilities(), snapshot);
        Assert.True(result.Plan is not null, string.Join(Environment.NewLine, result.Problems));
        return result.Plan!;
    }

    /// <summary>
    /// Plans and deploys, recording the apps after every completed step (forward or rollback); <paramref name="afterStep"/>
    /// runs at each, e.g. to make a version faulty once it serves.
    /// </summary>
    public async Task<(DeploymentResult Result, List<AppsState> States)> DeployAsync(
        DeploymentSpec spec, AppServicePlatform platform, Action<string, bool>? afterStep = null, IHookRunner? hooks = null)
    {
        var states = new List<AppsState>();
        var plan = await PlanAsync(spec, platform);
        var engine = EngineFor(platform, e =>
        {
            if (e is StepCompleted or StepSkipped)
            {
                var (description, rollback) = e is StepCompleted c ? (c.Description, c.Rollback) : (((StepSkipped)e).Description, ((StepSkipped)e).Rollback);
                lock (states)
                {
                    states.Add(State(description, rollback));
                }

                afterStep?.Invoke(description, rollback);
            }
        }, hooks);
        var result = await Bed.DriveAsync(engine.DeployAsync(spec, plan, "digest-1", CancellationToken.None));
        return (result, states);
    }

    /// <summary>Clients sending requests to production's host name through the emulator's proxy until disposed.</summary>
    public ClientTraffic Traffic(EmulatedWebApp? app = null, bool cookies = true) => ClientTraffic.Start(Emulator, (app ?? App).Production.HostName, cookies);

    /// <summary>Every app as the emulator holds it now.</summary>
    public AppsState State(string step = "", bool rollback = false) =>
        new(step, rollback, [.. Emulator.WebApps.Select(app => new AppState(
            app.Name,
            app.Production.Version,
            app.Slot("staging").Version,
            app.Production.RampUpRules.Where(r => r.ActionHostName == app.Slot("staging").HostName).Sum(r => r.ReroutePercentage),
            app.PendingPreview is not null,
            app.Slot("staging").EffectiveAppSettings))]);

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await Bed.DisposeAsync();
    }
}

/// <summary>The apps after one step.</summary>
internal sealed record AppsState(string Step, bool Rollback, IReadOnlyList<AppState> Apps)
{
    /// <summary>"prod=v1 slot=v2 share=20" for one app; app by app, joined with "; ", for several.</summary>
    public string Serving => string.Join("; ", Apps.Select(a => Apps.Count > 1 ? $"{a.Name}: {a.Serving}" : a.Serving));

    public AppState this[string app] => Apps.Single(a => a.Name == app);
}

/// <summary>One app: the versions production and the staging slot hold, the slot's share of production's traffic, a pending preview.</summary>
internal sealed record AppState(string Name, string Production, string Slot, double SlotShare, bool PreviewPending, IReadOnlyDictionary<string, string> SlotSettings)
{
    public string Serving => $"prod={Production} slot={Slot}" + (SlotShare > 0 ? $" share={SlotShare}" : "") + (PreviewPending ? " preview" : "");
}

/// <summary>A hook runner that records every call and succeeds, unless told to fail a hook.</summary>
internal sealed class RecordingHooks(string? failing = null) : IHookRunner
{
    public List<(string Hook, IReadOnlyList<string> Targets, bool Rollback, string? Preview)> Calls { get; } = [];

    public Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((hook.Name, context.Targets, context.Rollback, context.PreviewAddress));
        }

        return Task.FromResult(new HookResult(hook.Name == failing ? 1 : 0, hook.Name == failing ? "failed on purpose" : "ok"));
    }
}

/// <summary>Cuts a platform off from ARM, as if its process died: once tripped, every request fails before it is sent.</summary>
internal sealed class KillSwitch : DelegatingHandler
{
    private volatile bool _tripped;

    public void Trip() => _tripped = true;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _tripped ? throw new HttpRequestException("the zdp process died (test kill switch)") : base.SendAsync(request, cancellationToken);
}

/// <summary>
/// Two clients sending GET / to a host through the emulator's proxy on the real clock, one keeping cookies (so the routing
/// cookie pins it) and one not, counting what came back. A failure is an exception or a status other than 2xx.
/// </summary>
internal sealed class ClientTraffic : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<HttpClient> _clients = [];
    private int _sent;
    private int _failed;

    private ClientTraffic()
    {
    }

    public int Sent => Volatile.Read(ref _sent);

    public int Failed => Volatile.Read(ref _failed);

    public static ClientTraffic Start(ArmEmulator emulator, string host, bool cookies = true)
    {
        var traffic = new ClientTraffic();
        foreach (var keepCookies in cookies ? new[] { true, false } : [false])
        {
            var client = new HttpClient(emulator.CreateHttpHandler(viaProxy: true, useCookies: keepCookies)) { Timeout = TimeSpan.FromSeconds(10) };
            traffic._clients.Add(client);
            traffic._loops.Add(Task.Run(() => traffic.LoopAsync(client, $"https://{host}/")));
        }

        return traffic;
    }

    private async Task LoopAsync(HttpClient client, string url)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync(url, _stop.Token);
                Interlocked.Increment(ref _sent);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _failed);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _sent);
                Interlocked.Increment(ref _failed);
            }

            // A gentle rate: the suite runs beside other test projects on two cores.
            await Task.Delay(10, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }
}
