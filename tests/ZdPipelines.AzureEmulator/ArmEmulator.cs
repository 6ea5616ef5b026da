using System.Net;
using System.Net.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using ZdPipelines.AzureEmulator.Arm;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.AzureEmulator.Certificates;
using ZdPipelines.AzureEmulator.DataPlane;
using ZdPipelines.AzureEmulator.Identity;
using ZdPipelines.AzureEmulator.State;
using ZdPipelines.AzureEmulator.Swagger;

namespace ZdPipelines.AzureEmulator;

/// <summary>
/// A wire-level emulator of what zdp talks to on Azure: Entra ID's token endpoint, ARM (App Service sites and slots, tags,
/// Azure Monitor metrics) over HTTPS on 127.0.0.1, and the App Service data plane behind a forward proxy. Requests and answers
/// are checked against, and shaped from, the official descriptions (<see cref="SwaggerCatalog"/>). See docs/azure-emulator.md.
/// </summary>
public sealed class ArmEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ArmState _state;
    private readonly ArmFrontDoor _frontDoor;
    private readonly DataPlaneRouter _dataPlane;
    private readonly ForwardProxy _proxy;
    private readonly CancellationTokenSource _stopping = new();

    private ArmEmulator(
        ArmEmulatorOptions options, WebApplication app, ArmState state, ArmFrontDoor frontDoor, DataPlaneRouter dataPlane, ForwardProxy proxy,
        EmulatorCertificateAuthority authority, EmulatedDirectory directory, RoleAssignments roles, ArmFaults faults, SwaggerCatalog catalog, Uri endpoint, Uri dataPlaneUri)
    {
        Options = options;
        _app = app;
        _state = state;
        _frontDoor = frontDoor;
        _dataPlane = dataPlane;
        _proxy = proxy;
        CertificateAuthority = authority;
        Directory = directory;
        Roles = roles;
        Faults = faults;
        Catalog = catalog;
        Endpoint = endpoint;
        DataPlaneUri = dataPlaneUri;
        frontDoor.Stopping = _stopping.Token;
    }

    public ArmEmulatorOptions Options { get; }

    /// <summary>ARM and Entra ID: <c>https://127.0.0.1:&lt;port&gt;/</c>. Use it as the Resource Manager endpoint and the authority host.</summary>
    public Uri Endpoint { get; }

    /// <summary>The forward proxy that reaches the data plane by App Service host name: set it as HTTP_PROXY and HTTPS_PROXY.</summary>
    public Uri ProxyUri => _proxy.Uri;

    /// <summary>The data plane's own plain-HTTP listener (routes by the Host header); most callers go through <see cref="ProxyUri"/>.</summary>
    public Uri DataPlaneUri { get; }

    /// <summary>The CA every emulator certificate comes from.</summary>
    public EmulatorCertificateAuthority CertificateAuthority { get; }

    /// <summary>The Entra ID tenant: apps, secrets, federated credentials, external OIDC issuers.</summary>
    public EmulatedDirectory Directory { get; }

    /// <summary>Role assignments ARM authorizes against.</summary>
    public RoleAssignments Roles { get; }

    /// <summary>Throttling and server errors on demand.</summary>
    public ArmFaults Faults { get; }

    public SwaggerCatalog Catalog { get; }

    public string TenantId => Directory.TenantId;

    public IReadOnlyList<EmulatedWebApp> WebApps => _state.Apps;

    /// <summary>Every request the ARM/Entra endpoint answered.</summary>
    public IReadOnlyList<ArmRequestRecord> Requests => _frontDoor.Requests;

    /// <summary>Every way a request did not fit the official description. A correct client causes none.</summary>
    public IReadOnlyList<SwaggerViolation> Violations => _frontDoor.Violations;

    /// <summary>Every way an answer of the emulator did not fit the described response (a check on the emulator itself).</summary>
    public IReadOnlyList<SwaggerViolation> ResponseViolations => _frontDoor.ResponseViolations;

    /// <summary>Every request the data plane served, in order.</summary>
    public IReadOnlyList<DataPlaneRequest> DataPlaneRequests => _dataPlane.Served;

    public static async Task<ArmEmulator> StartAsync(ArmEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ArmEmulatorOptions();
        var catalog = await SwaggerCatalog.LoadSharedAsync().WaitAsync(cancellationToken);
        var authority = new EmulatorCertificateAuthority();
        var state = new ArmState(options);
        var directory = new EmulatedDirectory(options.TenantId, options.TimeProvider, options.TokenLifetime);
        var roles = new RoleAssignments();
        var faults = new ArmFaults();
        var dataPlane = new DataPlaneRouter(state, options);
        var frontDoor = new ArmFrontDoor(
            state, catalog, directory, roles, faults,
            new WebAppsOperations(state, options, catalog),
            new TagsOperations(state, options),
            new MetricsOperations(state, () => dataPlane.Served));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? https = null;
        ListenOptions? plain = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                https = listen;
                listen.UseHttps(authority.ServerCertificate("127.0.0.1"));
            });
            kestrel.Listen(IPAddress.Loopback, 0, listen => plain = listen);
        });
        var app = builder.Build();
        app.Run(context => context.Connection.LocalPort == ((IPEndPoint)plain!.EndPoint).Port
            ? dataPlane.HandleAsync(context)
            : frontDoor.HandleAsync(context));
        await app.StartAsync(cancellationToken);

        var endpoint = new Uri($"https://127.0.0.1:{((IPEndPoint)https!.EndPoint).Port}/");
        var dataPlaneEndpoint = (IPEndPoint)plain!.EndPoint;
        frontDoor.Audiences.Add(endpoint.GetLeftPart(UriPartial.Authority));
        var proxy = new ForwardProxy(
            host =>
            {
                lock (state.Gate)
                {
                    return state.FindSlotByHost(host) is not null || host.EndsWith("." + options.HostNameSuffix, StringComparison.OrdinalIgnoreCase);
                }
            },
            authority,
            dataPlaneEndpoint);
        proxy.Start();
        return new ArmEmulator(options, app, state, frontDoor, dataPlane, proxy, authority, directory, roles, faults, catalog, endpoint,
            new Uri($"http://127.0.0.1:{dataPlaneEndpoint.Port}/"));
    }

    /// <summary>
    /// Adds a web app with a production slot holding <paramref name="productionVersion"/> (its resource group and subscription
    /// come into being with it). Add slots with <see cref="EmulatedWebApp.AddSlot"/>.
    /// </summary>
    public EmulatedWebApp AddWebApp(string subscriptionId, string resourceGroup, string name, string productionVersion, string location = "West Europe") =>
        _state.AddWebApp(subscriptionId, resourceGroup, name, location, productionVersion);

    /// <summary>Makes a subscription and resource group exist without any app in it (for "app not found" cases).</summary>
    public void AddResourceGroup(string subscriptionId, string resourceGroup) => _state.AddResourceGroup(subscriptionId, resourceGroup);

    /// <summary>An app registration with a client secret, holding <paramref name="role"/> at <paramref name="scope"/>.</summary>
    public EmulatedApplication AddServicePrincipal(EmulatedRole role, string scope, string secret = "emulator-secret")
    {
        var app = Directory.AddApplication(secret: secret);
        Roles.Assign(app.ClientId, role, scope);
        return app;
    }

    /// <summary>
    /// An HTTP handler that trusts the emulator's CA (and only it) for TLS; with <paramref name="viaProxy"/> it sends everything
    /// through <see cref="ProxyUri"/>, so App Service host names reach the data plane. Cookies are kept unless disabled.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler(bool viaProxy = false, bool useCookies = true)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = useCookies,
            UseProxy = viaProxy,
            Proxy = viaProxy ? new WebProxy(ProxyUri) : null,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = CertificateAuthority.Validate;
        return handler;
    }

    /// <summary>
    /// Environment variables that make a child process (zdp itself) reach the data plane and trust the emulator:
    /// HTTP(S)_PROXY to the proxy, NO_PROXY for loopback, and SSL_CERT_FILE pointing at a bundle written to <paramref name="bundlePath"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ChildProcessEnvironment(string bundlePath)
    {
        CertificateAuthority.WriteTrustBundle(bundlePath);
        var proxy = ProxyUri.ToString().TrimEnd('/');
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HTTP_PROXY"] = proxy,
            ["HTTPS_PROXY"] = proxy,
            ["NO_PROXY"] = "127.0.0.1,localhost",
            ["SSL_CERT_FILE"] = bundlePath,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _proxy.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Dispose();
        Directory.Dispose();
        CertificateAuthority.Dispose();
        _stopping.Dispose();
    }
}
