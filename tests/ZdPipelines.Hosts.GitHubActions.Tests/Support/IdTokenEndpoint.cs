using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Support;

/// <summary>
/// A stand-in for the runner's ID token service on 127.0.0.1, answering as actions/toolkit oidc-utils.ts expects:
/// GET with <c>audience</c> in the query and the request token as bearer, answer <c>{"value": jwt}</c>. Each token's
/// <c>exp</c> is <see cref="Lifetime"/> after <see cref="Now"/>.
/// </summary>
internal sealed class IdTokenEndpoint : IAsyncDisposable
{
    public const string RequestToken = "runner-request-token";
    private readonly WebApplication _app;
    private readonly List<(string Audience, string Authorization, string Token)> _issued = [];

    private IdTokenEndpoint(WebApplication app) => _app = app;

    /// <summary>As the runner sets ACTIONS_ID_TOKEN_REQUEST_URL: with a query string already.</summary>
    public string RequestUrl => $"{_app.Urls.Single()}/_apis/token?api-version=2.0";

    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<(string Audience, string Authorization, string Token)> Issued
    {
        get
        {
            lock (_issued)
            {
                return [.. _issued];
            }
        }
    }

    public static async Task<IdTokenEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new IdTokenEndpoint(app);
        app.MapGet("/_apis/token", (HttpContext context) =>
        {
            var audience = context.Request.Query["audience"].ToString();
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization != $"Bearer {RequestToken}" || context.Request.Query["api-version"] != "2.0")
            {
                return Results.Unauthorized();
            }

            var token = Jwt(audience, endpoint.Now() + endpoint.Lifetime);
            lock (endpoint._issued)
            {
                endpoint._issued.Add((audience, authorization, token));
            }

            return Results.Json(new { value = token });
        });
        await app.StartAsync();
        return endpoint;
    }

    public static string Jwt(string audience, DateTimeOffset expires)
    {
        static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        return $"{Part("""{"alg":"RS256","typ":"JWT"}""")}.{Part($$"""{"aud":"{{audience}}","iss":"https://token.actions.githubusercontent.com","exp":{{expires.ToUnixTimeSeconds()}},"jti":"{{Guid.NewGuid()}}"}""")}.c2ln";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
