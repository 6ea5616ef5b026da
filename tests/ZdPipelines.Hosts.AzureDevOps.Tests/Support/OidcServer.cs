using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Support;

/// <summary>
/// Azure DevOps' OIDC token endpoint on 127.0.0.1 (Kestrel): answers POST ?api-version=7.1&amp;serviceConnectionId=…
/// with a Bearer access token by {"oidcToken": …}, and refuses anything else the way the service would.
/// </summary>
internal sealed class OidcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OidcServer(WebApplication app, string address)
    {
        _app = app;
        RequestUri = $"{address}/example/6a1b0c4e/_apis/distributedtask/hubs/build/plans/1d2c3b4a/jobs/9f8e7d6c/oidctoken";
    }

    /// <summary>What the agent puts in SYSTEM_OIDCREQUESTURI.</summary>
    public string RequestUri { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<OidcServer> StartAsync(string accessToken, string serviceConnectionId, string idToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        OidcServer? server = null;
        app.Map("/{**path}", async (HttpContext context) =>
        {
            var request = context.Request;
            server!.Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
            if (request.Headers.Authorization.ToString() != $"Bearer {accessToken}")
            {
                return Results.StatusCode(401);
            }

            if (request.Method != "POST" || request.Query["api-version"] != "7.1" || !request.Path.Value!.EndsWith("/oidctoken", StringComparison.Ordinal))
            {
                return Results.BadRequest();
            }

            if (request.Query["serviceConnectionId"] != serviceConnectionId)
            {
                return Results.NotFound();
            }

            using var body = new StreamReader(request.Body);
            await body.ReadToEndAsync();
            return Results.Json(new { oidcToken = idToken });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new OidcServer(app, address);
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
