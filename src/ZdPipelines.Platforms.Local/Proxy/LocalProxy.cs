using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;
using ZdPipelines.Core.Plans;
using ZdPipelines.Platforms.Local.Hosting;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// An in-process reverse proxy (Kestrel and YARP's forwarder) in front of stable and candidate upstreams.
/// Each request is routed by the current weight, active side, registrations and health, so every change
/// applies to the next request; requests already forwarded run to completion (up to the drain timeout).
/// A second "preview" listener on a free port forwards only to one side: the candidate, or where a deployment points it.
/// </summary>
/// <remarks>
/// The proxy serves nothing on a guess: from the moment it listens until the first health rounds have given every
/// destination a verdict, requests wait (see <see cref="StartAsync"/>) instead of being answered 503.
/// Metrics count each request against the side of the destination that answered it, so a fallback
/// counts for the side that served it and preview requests count for the candidate: the figures
/// describe a version, which is what a metric gate judges.
/// </remarks>
public sealed class LocalProxy : IAsyncDisposable
{
    /// <summary>Upstreams are local: a connection that takes this long is not coming.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly LocalProxyOptions _options;
    private readonly TimeProvider _time;
    private readonly TrafficRouter _router = new();
    private readonly DestinationTable _table;
    private readonly HealthChecker _health;
    private readonly RequestLog _log;
    private readonly HttpMessageInvoker _client;
    private WebApplication? _app;
    private ListenOptions? _main;
    private ListenOptions? _preview;
    private IHttpForwarder? _forwarder;

    public LocalProxy(LocalProxyOptions options, TimeProvider timeProvider)
    {
        options.Validate();
        _options = options;
        _time = timeProvider;
        _table = new DestinationTable(_router, options.HealthCheck, options.DrainTimeout, timeProvider);
        _health = new HealthChecker(_table, options.HealthCheck, timeProvider);
        _log = new RequestLog(timeProvider);
        // YARP's recommended handler for forwarding: no proxy, redirects, cookies or decompression of its own.
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = ConnectTimeout,
        });
    }

    /// <summary>Where users reach the service, e.g. http://127.0.0.1:8080. Known once started.</summary>
    public Uri Address => ListenAddress.ToUri(Started(_main).IPEndPoint!);

    /// <summary>Where only the candidate is reached, on a free port of the same host. Known once started.</summary>
    public Uri PreviewAddress => ListenAddress.ToUri(Started(_preview).IPEndPoint!);

    /// <summary>Requests that went to the other side because the side due had no healthy destination.</summary>
    public long Fallbacks => _router.Fallbacks;

    /// <summary>
    /// Listens, then runs health rounds until every registered destination is Healthy or Unhealthy (at most
    /// healthyThreshold + unhealthyThreshold - 1 rounds) and returns. Requests that arrive in between are held, not
    /// refused or answered 503, and go on as soon as that verdict is in; binding first means a taken port fails at
    /// once, before any wait.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The local proxy is already started.");
        }

        var endpoint = ListenAddress.Parse(_options.Listen);
        var builder = EmbeddedHost.CreateBuilder();
        builder.Services.AddHttpForwarder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint, listen => _main = listen);
            kestrel.Listen(new IPEndPoint(endpoint.Address, 0), listen => _preview = listen);
        });
        var app = builder.Build();
        _forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        app.Run(ForwardAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"The local proxy cannot listen on {_options.Listen}: {e.Message} Choose another platform.local.listen.", e);
        }

        _app = app;
        _health.Start();
        await _health.FirstVerdict.WaitAsync(cancellationToken);
    }

    /// <summary>Stops listening; in-flight requests get a short grace period to finish.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            _app = null;
            await EmbeddedHost.StopAsync(app, _time, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await _health.DisposeAsync();
        _client.Dispose();
        _table.Dispose();
    }

    /// <summary>Adds an upstream instance; a registered one starts Initial and serves once its health checks pass.</summary>
    public void AddDestination(string id, Side side, Uri address, bool registered = true) => _table.Add(id, side, address, registered);

    /// <summary>Puts a destination (back) into service: Initial until the healthy threshold of passes.</summary>
    public void Register(string id) => _table.Register(id);

    /// <summary>Takes a destination out of service: no new requests; Draining while in-flight ones finish, then Unused.</summary>
    public void Deregister(string id) => _table.Deregister(id);

    /// <summary>Sends <paramref name="percent"/> % to the candidate; 0 sends everything to the active side.</summary>
    public void SetCandidateWeight(int percent) => _table.SetCandidateWeight(percent);

    /// <summary>Makes <paramref name="to"/> the side that takes all traffic when no weight is set.</summary>
    public void Switch(Side to) => _table.Switch(to);

    /// <summary>The side the preview listener forwards to.</summary>
    public Side PreviewSide => _router.PreviewSide;

    public void PointPreview(Side to) => _router.PointPreview(to);

    /// <summary>After an in-place restart the instance must pass its health checks again before it serves.</summary>
    public void ResetHealth(string id) => _table.ResetHealth(id);

    /// <summary>Counts the destination's requests toward the candidate (new version) from now on, or not.</summary>
    public void MarkNewVersion(string id, bool updated) => _table.MarkNewVersion(id, updated);

    public ProxyState State() => _table.State();

    /// <summary>What a side served over the trailing <paramref name="window"/> (at most ten minutes back).</summary>
    public TrafficSummary Traffic(Side side, TimeSpan window) => _log.Summarize(side, window);

    private async Task ForwardAsync(HttpContext context)
    {
        if (!_health.FirstVerdict.IsCompleted && !await FirstVerdictAsync(context))
        {
            return;
        }

        // Latency counts from here: the wait for the first verdict is the proxy's start, not the version's speed.
        var started = _time.GetTimestamp();
        var route = _router.Choose(candidateOnly: context.Connection.LocalPort == _preview?.IPEndPoint?.Port);
        if (route.Destination is not { } destination)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.Body.WriteAsync(route.UnavailableBody ?? [], context.RequestAborted);
            _log.Record(route.Side, failed: true, _time.GetElapsedTime(started));
            return;
        }

        var cutoff = destination.Enter();
        var failed = true;
        try
        {
            var error = await _forwarder!.SendAsync(context, destination.Address.ToString(), _client, ForwarderRequestConfig.Empty, HttpTransformer.Default, cutoff);
            // A client that hung up is not the upstream's failure.
            failed = context.Response.StatusCode >= 500 || (error != ForwarderError.None && !context.RequestAborted.IsCancellationRequested);
        }
        finally
        {
            destination.Leave();
            _log.Record(destination.MetricsSide, failed, _time.GetElapsedTime(started));
        }
    }

    /// <summary>Holds a request that came before the first verdict; false when the proxy stopped first and has answered it.</summary>
    private async Task<bool> FirstVerdictAsync(HttpContext context)
    {
        try
        {
            await _health.FirstVerdict.WaitAsync(context.RequestAborted);
            return true;
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("zdp local proxy: stopping before its first health checks finished\n", context.RequestAborted);
            return false;
        }
    }

    private static ListenOptions Started(ListenOptions? listen) =>
        listen?.IPEndPoint is not null ? listen : throw new InvalidOperationException("The local proxy is not started yet.");
}
