using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ZdPipelines.Platforms.Local.Hosting;

namespace ZdPipelines.Platforms.Local.Samples;

/// <summary>
/// A tiny upstream for `zdp demo` and tests, on 127.0.0.1: GET / answers "hello from {version}",
/// GET /healthz answers "ok". The first start takes a free port; later starts reuse it, so the proxy's
/// destination stays valid across an in-place update.
/// </summary>
public sealed class SampleApp : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private WebApplication? _app;
    private int _port;
    private Random _random = new(0);
    private DateTimeOffset _readyAt;

    public SampleApp(SampleAppOptions options, TimeProvider timeProvider)
    {
        options.Validate();
        Options = options;
        _time = timeProvider;
    }

    /// <summary>The options of the current (or next) run.</summary>
    public SampleAppOptions Options { get; private set; }

    public bool IsRunning => _app is not null;

    /// <summary>e.g. http://127.0.0.1:54321; known after the first start and the same for every later one.</summary>
    public Uri Url => _port != 0
        ? new Uri($"http://127.0.0.1:{_port}")
        : throw new InvalidOperationException("The sample app has not been started yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException($"The sample app {Options.Version} is already running.");
        }

        ListenOptions? bound = null;
        var builder = EmbeddedHost.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port, listen => bound = listen));
        var app = builder.Build();
        app.Run(AnswerAsync);
        lock (_lock)
        {
            _random = new Random(Options.Seed);
            _readyAt = _time.GetUtcNow() + Options.StartupDelay;
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _port = bound!.IPEndPoint!.Port;
        _app = app;
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

    /// <summary>Stops, takes the new options (a new version, say) and starts again on the same port.</summary>
    public async Task RestartAsync(SampleAppOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        await StopAsync(cancellationToken);
        Options = options;
        await StartAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    private async Task AnswerAsync(HttpContext context)
    {
        var options = Options;
        bool ready, fault;
        lock (_lock)
        {
            ready = _time.GetUtcNow() >= _readyAt;
            fault = ready && context.Request.Path == "/" && _random.NextDouble() < options.FaultRate;
        }

        if (!ready)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("starting\n", context.RequestAborted);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        switch (context.Request.Path.Value)
        {
            case "/healthz":
                await context.Response.WriteAsync("ok\n", context.RequestAborted);
                break;
            case "/":
                if (options.ResponseDelay > TimeSpan.Zero)
                {
                    await Task.Delay(options.ResponseDelay, _time, context.RequestAborted);
                }

                context.Response.StatusCode = fault ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
                await context.Response.WriteAsync(fault ? $"fault in {options.Version}\n" : $"hello from {options.Version}\n", context.RequestAborted);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }
}
