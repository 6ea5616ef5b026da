using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;
using ZdPipelines.AzureEmulator;
using ZdPipelines.AzureEmulator.Arm;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.AzureEmulator.Identity;
using ZdPipelines.AzureEmulator.State;
using ZdPipelines.Platforms.Azure.Clients;

namespace ZdPipelines.Platforms.Azure.Tests.Support;

/// <summary>
/// An emulator with one web app (production v1, staging v2) in one subscription, a service principal holding a role on the
/// subscription, and ARM clients signed in as it through a real ClientSecretCredential, all on one fake clock.
/// </summary>
internal sealed class AzureTestBed : IAsyncDisposable
{
    public const string SubscriptionId = "4a3e7c1d-0000-4000-8000-0000000000a1";
    public const string ResourceGroup = "rg-shop";
    public const string AppName = "shop-api";

    private readonly InFlightRequests _inFlight = new();

    private AzureTestBed(ArmEmulator emulator, FakeTimeProvider time, EmulatedApplication principal, EmulatedWebApp app)
    {
        Emulator = emulator;
        Time = time;
        Principal = principal;
        App = app;
        Clients = null!;
    }

    public ArmEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public EmulatedApplication Principal { get; }

    public EmulatedWebApp App { get; }

    public ArmClients Clients { get; private set; }

    public ResourceIdentifier SiteId => WebAppIds.Site(App.SubscriptionId, App.ResourceGroup, App.Name);

    public ResourceIdentifier SlotId => WebAppIds.Slot(SiteId, "staging");

    public static string SubscriptionScope => $"/subscriptions/{SubscriptionId}";

    public static async Task<AzureTestBed> StartAsync(
        Func<ArmEmulatorOptions, ArmEmulatorOptions>? configure = null, EmulatedRole? role = null, FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var options = new ArmEmulatorOptions { TimeProvider = time };
        var emulator = await ArmEmulator.StartAsync(configure?.Invoke(options) ?? options);
        var app = emulator.AddWebApp(SubscriptionId, ResourceGroup, AppName, "v1");
        app.AddSlot("staging", "v2");
        var principal = emulator.AddServicePrincipal(role ?? EmulatedRole.Contributor, SubscriptionScope);
        var bed = new AzureTestBed(emulator, time, principal, app);
        var credential = AzureCredentialSource.Create(bed.SecretCredential(principal));
        bed.Clients = new ArmClients(bed.ClientOptions(), credential, time);
        // The first token takes MSAL a moment; taken here, it is cached before any test drives the clock.
        await credential.Credential.GetTokenAsync(new TokenRequestContext([bed.ClientOptions().TokenScope]), CancellationToken.None);
        return bed;
    }

    /// <summary>The ARM requests the emulator answered (Entra ID's token requests left out).</summary>
    public IReadOnlyList<ArmRequestRecord> ArmRequests => [.. Emulator.Requests.Where(r => r.OperationId?.StartsWith("Entra:", StringComparison.Ordinal) != true)];

    /// <summary>ARM clients signed in as <paramref name="principal"/> with its client secret, retrying fast.</summary>
    public ArmClients ClientsFor(EmulatedApplication principal) => new(ClientOptions(), AzureCredentialSource.Create(SecretCredential(principal)), Time);

    /// <summary>
    /// Client options for the emulator, on a transport whose requests <see cref="DriveAsync(Task, TimeSpan?)"/> waits for;
    /// <paramref name="outer"/> (a kill switch) sees each request first, and what it holds back is not waited for.
    /// </summary>
    public ArmClientOptions ClientOptions(DelegatingHandler? outer = null) => new()
    {
        ResourceManagerEndpoint = Emulator.Endpoint,
        Transport = new HttpClientTransport(Outer(outer, _inFlight.Wrap(Emulator.CreateHttpHandler()))),
        // Azure.Core waits between retries on the real clock: keep its back-off tiny so tests stay fast.
        RetryDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(20),
        NetworkTimeout = TimeSpan.FromSeconds(10),
    };

    private static HttpMessageHandler Outer(DelegatingHandler? outer, HttpMessageHandler inner)
    {
        if (outer is null)
        {
            return inner;
        }

        outer.InnerHandler = inner;
        return outer;
    }

    /// <summary>A client-secret credential of <paramref name="principal"/> against the emulated Entra ID.</summary>
    public AzureCredentialOptions SecretCredential(EmulatedApplication principal) => new()
    {
        TenantId = Emulator.TenantId,
        ClientId = principal.ClientId,
        ClientSecret = principal.Secret,
        AuthorityHost = Emulator.Endpoint,
        Transport = EntraTransport(),
    };

    /// <summary>A transport over <paramref name="handler"/> (e.g. to Azurite) whose requests <see cref="DriveAsync(Task, TimeSpan?)"/> waits for; <paramref name="outer"/> sees each first.</summary>
    public HttpClientTransport TrackedTransport(HttpMessageHandler handler, DelegatingHandler? outer = null) => new(Outer(outer, _inFlight.Wrap(handler)));

    /// <summary>A transport to the emulated Entra ID whose requests <see cref="DriveAsync(Task, TimeSpan?)"/> waits for.</summary>
    public HttpClientTransport EntraTransport() => new(_inFlight.Wrap(Emulator.CreateHttpHandler()));

    /// <summary>
    /// An HTTP client through the emulator's proxy, keeping no cookies, whose requests <see cref="DriveAsync(Task, TimeSpan?)"/>
    /// waits for: what the platform probes slots with.
    /// </summary>
    public HttpClient TrackedDataPlaneClient() => new(_inFlight.Wrap(Emulator.CreateHttpHandler(viaProxy: true, useCookies: false))) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>An HTTP client that reaches App Service host names through the emulator's proxy and trusts its CA.</summary>
    public HttpClient DataPlaneClient(bool useCookies = false) => new(Emulator.CreateHttpHandler(viaProxy: true, useCookies)) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Runs <paramref name="task"/> to its end, advancing the fake clock a step at a time while it waits on it.</summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan? step = null)
    {
        await DriveAsync((Task)task, step);
        return await task;
    }

    public async Task DriveAsync(Task task, TimeSpan? step = null)
    {
        for (var i = 0; !task.IsCompleted; i++)
        {
            if (i > 10_000)
            {
                throw new TimeoutException("the task did not finish within 10,000 turns of the fake clock.");
            }

            if (_inFlight.Count == 0)
            {
                Time.Advance(step ?? TimeSpan.FromSeconds(1));
            }

            await Task.WhenAny(task, Task.Delay(2));
        }

        await task;
    }

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();
}
