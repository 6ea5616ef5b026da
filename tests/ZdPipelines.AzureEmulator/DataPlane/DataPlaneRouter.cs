using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ZdPipelines.AzureEmulator.State;

namespace ZdPipelines.AzureEmulator.DataPlane;

/// <summary>
/// The App Service front ends: every slot's <c>defaultHostName</c> answered by the app that slot holds, and the production host
/// routed as deploy-staging-slots.md describes. A request for production with <c>?x-ms-routing-name=self|&lt;slot&gt;</c> goes
/// there and gets the cookie; one with an <c>x-ms-routing-name</c> cookie goes where the cookie says; any other goes to a slot
/// with the probability its ramp-up rule's <c>reroutePercentage</c> gives (the emulator's seeded Random) and gets a cookie
/// pinning it there for an hour (<c>self</c> for production).
/// </summary>
internal sealed class DataPlaneRouter(ArmState state, ArmEmulatorOptions options)
{
    /// <summary>The routing cookie and query parameter.</summary>
    public const string RoutingName = "x-ms-routing-name";

    /// <summary>"Self" names production in the routing cookie and query.</summary>
    public const string Self = "self";

    /// <summary>How long a routing cookie pins a client: "for one hour or until the cookies are deleted" (deploy-staging-slots.md).</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentQueue<DataPlaneRequest> _served = new();

    public IReadOnlyList<DataPlaneRequest> Served => [.. _served];

    public async Task HandleAsync(HttpContext context)
    {
        var host = context.Request.Host.Host.ToLowerInvariant();
        EmulatedSlot? asked;
        lock (state.Gate)
        {
            asked = state.FindSlotByHost(host);
        }

        if (asked is null)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync($"404 Web Site not found: the emulator serves no App Service at '{host}'.");
            return;
        }

        var (slot, routedBy, cookie) = asked.IsProduction ? Route(asked.App, context.Request) : (asked, "direct", null);
        if (cookie is not null)
        {
            // Max-Age rather than Expires: a client's cookie jar judges Expires by its own clock, and the emulator's may be fake.
            context.Response.Headers.Append("Set-Cookie", $"{RoutingName}={cookie}; Max-Age={(int)CookieLifetime.TotalSeconds}; Path=/");
        }

        string version, state_;
        double errorRate;
        TimeSpan latency;
        IReadOnlyDictionary<string, string> settings;
        lock (state.Gate)
        {
            (version, errorRate, latency, state_, settings) = (slot.Version, slot.ErrorRate, slot.Latency, slot.State, slot.EffectiveAppSettings);
        }

        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, state.Time, context.RequestAborted);
        }

        bool fails;
        lock (state.Gate)
        {
            fails = errorRate > 0 && state.Random.NextDouble() < errorRate;
        }

        var path = context.Request.Path.Value ?? "/";
        int status;
        string body;
        var contentType = "text/plain; charset=utf-8";
        if (!string.Equals(state_, "Running", StringComparison.OrdinalIgnoreCase))
        {
            (status, body) = (403, "Error 403 - This web app is stopped.");
        }
        else if (fails)
        {
            (status, body) = (500, $"{version} failed (the emulator injects errors at rate {errorRate})");
        }
        else if (path.Equals(options.HealthPath, StringComparison.OrdinalIgnoreCase))
        {
            (status, body) = (200, $"healthy {version}");
        }
        else if (path.Equals("/settings", StringComparison.OrdinalIgnoreCase))
        {
            var json = new JsonObject();
            foreach (var (name, value) in settings)
            {
                json[name] = value;
            }

            (status, body, contentType) = (200, json.ToJsonString(), "application/json; charset=utf-8");
        }
        else
        {
            (status, body, contentType) = (200, new JsonObject { ["version"] = version, ["slot"] = slot.Name, ["host"] = host }.ToJsonString(), "application/json; charset=utf-8");
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers["x-emulator-slot"] = slot.Name;
        context.Response.Headers["x-emulator-version"] = version;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
        _served.Enqueue(new DataPlaneRequest(state.Time.GetUtcNow(), host, path + context.Request.QueryString, slot.App.Id, slot.Name, version, status, latency, routedBy));
    }

    private (EmulatedSlot Slot, string RoutedBy, string? Cookie) Route(EmulatedWebApp app, HttpRequest request)
    {
        lock (state.Gate)
        {
            if (request.Query.TryGetValue(RoutingName, out var manual) && manual.ToString() is { Length: > 0 } name)
            {
                var chosen = Named(app, name);
                return (chosen, "query", chosen.IsProduction ? Self : chosen.Name);
            }

            if (request.Cookies.TryGetValue(RoutingName, out var pinned) && pinned is { Length: > 0 })
            {
                return (Named(app, pinned), "cookie", null);
            }

            var rules = app.Production.RampUpRules.Where(r => r.ReroutePercentage > 0).ToList();
            if (rules.Count == 0)
            {
                return (app.Production, "self", null);
            }

            var roll = state.Random.NextDouble() * 100;
            var cumulative = 0.0;
            foreach (var rule in rules)
            {
                cumulative += rule.ReroutePercentage;
                if (roll < cumulative && app.Slots.FirstOrDefault(s => string.Equals(s.HostName, rule.ActionHostName, StringComparison.OrdinalIgnoreCase)) is { } target)
                {
                    return (target, "rule", target.IsProduction ? Self : target.Name);
                }
            }

            return (app.Production, "rule", Self);
        }
    }

    // A routing name that names no slot falls back to production, as an unknown cookie does on App Service.
    private static EmulatedSlot Named(EmulatedWebApp app, string name) =>
        name.Equals(Self, StringComparison.OrdinalIgnoreCase) ? app.Production : app.FindSlot(name) ?? app.Production;
}
