using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ZdPipelines.Platforms.Local.Hosting;

/// <summary>
/// A Kestrel server that lives inside the zdp process: no configuration sources, no logging
/// providers, and no console lifetime.
/// </summary>
internal static class EmbeddedHost
{
    /// <summary>How long a stopping server lets in-flight requests finish before it cuts them off.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddLogging();
        // The default ConsoleLifetime hooks Ctrl+C and stops the server; zdp turns Ctrl+C into a
        // rollback, which needs the proxy to keep serving until the rollback is done.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        return builder;
    }

    /// <summary>Stops the app, giving in-flight requests <see cref="ShutdownGrace"/> to complete.</summary>
    public static async Task StopAsync(WebApplication app, TimeProvider time, CancellationToken cancellationToken)
    {
        using var grace = new CancellationTokenSource(ShutdownGrace, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, cancellationToken);
        await app.StopAsync(linked.Token);
        await app.DisposeAsync();
    }

    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
