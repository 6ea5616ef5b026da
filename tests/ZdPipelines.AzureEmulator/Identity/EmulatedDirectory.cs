using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ZdPipelines.AzureEmulator.Identity;

/// <summary>
/// The emulated Entra ID tenant: app registrations with client secrets and federated credentials, the external OIDC issuers
/// (GitHub Actions, Azure DevOps) whose tokens those credentials trust, and the access tokens it issues and ARM accepts.
/// </summary>
public sealed class EmulatedDirectory : IDisposable
{
    /// <summary>The assertion type of RFC 7523 client authentication, which Entra ID requires for client assertions.</summary>
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>Entra ID's recommended audience for federated credentials.</summary>
    public const string FederatedAudience = "api://AzureADTokenExchange";

    /// <summary>GitHub Actions' OIDC issuer.</summary>
    public const string GitHubActionsIssuer = "https://token.actions.githubusercontent.com";

    private readonly ConcurrentDictionary<string, EmulatedApplication> _applications = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, List<FederatedCredential>> _federated = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ECDsa> _issuerKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TokenGrant> _grants = new();
    private readonly ECDsa _signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _keyId = Guid.NewGuid().ToString("N");
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    internal EmulatedDirectory(string tenantId, TimeProvider time, TimeSpan lifetime)
    {
        TenantId = tenantId;
        _time = time;
        _lifetime = lifetime;
    }

    public string TenantId { get; }

    /// <summary>Every token request the endpoint answered, in order.</summary>
    public IReadOnlyList<TokenGrant> Grants => [.. _grants];

    /// <summary>Registers an app (service principal); with <paramref name="secret"/> it can use client-secret authentication.</summary>
    public EmulatedApplication AddApplication(string? clientId = null, string? secret = null)
    {
        var app = new EmulatedApplication(clientId ?? Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), secret);
        if (!_applications.TryAdd(app.ClientId, app))
        {
            throw new InvalidOperationException($"app {app.ClientId} is already registered.");
        }

        return app;
    }

    /// <summary>Trusts tokens of <paramref name="issuer"/> for <paramref name="subject"/> and <paramref name="audience"/> as the app's client assertion.</summary>
    public void AddFederatedCredential(string clientId, string issuer, string subject, string audience = FederatedAudience)
    {
        if (!_applications.ContainsKey(clientId))
        {
            throw new InvalidOperationException($"app {clientId} is not registered.");
        }

        _federated.GetOrAdd(clientId, _ => []).Add(new FederatedCredential(issuer, subject, audience));
    }

    /// <summary>
    /// An OIDC token as an external issuer mints it (e.g. GitHub Actions' <c>ACTIONS_ID_TOKEN_REQUEST_URL</c>, with audience
    /// <see cref="FederatedAudience"/>), signed with a key only the emulator holds, so its Entra ID can verify it.
    /// </summary>
    public string IssueExternalToken(string issuer, string subject, string audience = FederatedAudience, TimeSpan? lifetime = null)
    {
        var key = _issuerKeys.GetOrAdd(issuer, _ => ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = issuer,
            ["sub"] = subject,
            ["aud"] = audience,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)(lifetime ?? TimeSpan.FromMinutes(5)).TotalSeconds,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        return Jwt.Sign(claims, key, "issuer-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(issuer)))[..8]);
    }

    /// <summary>The public key access tokens are signed with, as a JWK Set (RFC 7517), for the <c>jwks_uri</c> of the discovery document.</summary>
    internal JsonObject KeySet()
    {
        var key = _signingKey.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["use"] = "sig",
                ["alg"] = "ES256",
                ["kid"] = _keyId,
                ["x"] = Jwt.Base64Url(key.Q.X!),
                ["y"] = Jwt.Base64Url(key.Q.Y!),
            }),
        };
    }

    /// <summary>The principal an access token this directory issued stands for, or why it is not acceptable.</summary>
    internal (TokenPrincipal? Principal, string? Problem) Validate(string token, IReadOnlyCollection<string> audiences)
    {
        if (Jwt.Parse(token) is not { } jwt || !Jwt.Verify(jwt.SigningInput, jwt.Signature, _signingKey))
        {
            return (null, "The access token is invalid: it was not issued by this tenant.");
        }

        if (!Jwt.Audiences(jwt.Claims).Any(a => audiences.Contains(a.TrimEnd('/'), StringComparer.OrdinalIgnoreCase)))
        {
            return (null, $"The access token has an invalid audience '{string.Join(",", Jwt.Audiences(jwt.Claims))}'.");
        }

        if (Jwt.Number(jwt.Claims, "exp") is not { } exp || exp <= _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return (null, "The access token has expired.");
        }

        return (new TokenPrincipal(Jwt.String(jwt.Claims, "appid")!, Jwt.String(jwt.Claims, "oid")!, Jwt.String(jwt.Claims, "tid")!), null);
    }

    /// <summary>
    /// The client-credentials grant of <c>/{tenant}/oauth2/v2.0/token</c> (RFC 6749 §4.4; client assertions per RFC 7523):
    /// 200 and a token, or an OAuth error (RFC 6749 §5.2) with Entra ID's <c>AADSTS</c> code in the description.
    /// </summary>
    internal (int Status, JsonObject Body) Exchange(string tenant, IReadOnlyDictionary<string, string> form)
    {
        string? Field(string name) => form.TryGetValue(name, out var v) ? v : null;
        var clientId = Field("client_id") ?? "";
        var kind = Field("client_assertion") is not null ? "client_assertion" : Field("client_secret") is not null ? "client_secret" : "none";
        var result = ExchangeCore(tenant, clientId, Field);
        _grants.Enqueue(new TokenGrant(clientId, kind, Field("scope"), result.Status == 200, _time.GetUtcNow(), result.Status == 200 ? null : result.Body["error_description"]?.GetValue<string>()));
        return result;
    }

    private (int Status, JsonObject Body) ExchangeCore(string tenant, string clientId, Func<string, string?> field)
    {
        if (!string.Equals(tenant, TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return Error(400, "invalid_request", 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
        }

        if (field("grant_type") != "client_credentials")
        {
            return Error(400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{field("grant_type")}'.");
        }

        if (!_applications.TryGetValue(clientId, out var app))
        {
            return Error(400, "unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{TenantId}'.");
        }

        var scope = field("scope") ?? "";
        if (!scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return Error(400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
        }

        if (field("client_assertion") is { } assertion)
        {
            if (field("client_assertion_type") != JwtBearerAssertionType)
            {
                return Error(400, "invalid_request", 50027, $"client_assertion_type must be {JwtBearerAssertionType}.");
            }

            if (CheckAssertion(app, assertion) is { } problem)
            {
                return problem;
            }
        }
        else if (field("client_secret") is { } secret)
        {
            if (app.Secret is null || secret != app.Secret)
            {
                return Error(401, "invalid_client", 7000215, $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");
            }
        }
        else
        {
            return Error(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }

        var resource = scope[..^"/.default".Length].TrimEnd('/');
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["aud"] = resource,
            ["iss"] = $"https://sts.windows.net/{TenantId}/",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)_lifetime.TotalSeconds,
            ["appid"] = app.ClientId,
            ["oid"] = app.ObjectId,
            ["sub"] = app.ObjectId,
            ["tid"] = TenantId,
            ["idtyp"] = "app",
            ["ver"] = "1.0",
        };
        var seconds = (long)_lifetime.TotalSeconds;
        return (200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = seconds,
            ["ext_expires_in"] = seconds,
            ["access_token"] = Jwt.Sign(claims, _signingKey, _keyId),
        });
    }

    private (int Status, JsonObject Body)? CheckAssertion(EmulatedApplication app, string assertion)
    {
        if (Jwt.Parse(assertion) is not { } jwt)
        {
            return Error(400, "invalid_client", 50027, "JWT token is invalid or malformed.");
        }

        var issuer = Jwt.String(jwt.Claims, "iss") ?? "";
        var subject = Jwt.String(jwt.Claims, "sub") ?? "";
        var audiences = Jwt.Audiences(jwt.Claims);
        var credentials = _federated.GetValueOrDefault(app.ClientId) ?? [];
        if (!credentials.Any(c => c.Issuer == issuer) || !_issuerKeys.TryGetValue(issuer, out var key) || !Jwt.Verify(jwt.SigningInput, jwt.Signature, key))
        {
            return Error(400, "invalid_client", 700211, $"No matching federated identity record found for presented assertion issuer '{issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Jwt.Number(jwt.Claims, "exp") is not { } exp || exp <= now || (Jwt.Number(jwt.Claims, "nbf") is { } nbf && nbf > now + 300))
        {
            return Error(400, "invalid_client", 700024, "Client assertion is not within its valid time range.");
        }

        if (!credentials.Any(c => c.Issuer == issuer && c.Subject == subject))
        {
            return Error(400, "invalid_client", 700213, $"No matching federated identity record found for presented assertion subject '{subject}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.");
        }

        if (!credentials.Any(c => c.Issuer == issuer && c.Subject == subject && audiences.Contains(c.Audience)))
        {
            return Error(400, "invalid_client", 700212, $"No matching federated identity record found for presented assertion audience '{string.Join(",", audiences)}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.");
        }

        return null;
    }

    private (int, JsonObject) Error(int status, string error, int code, string description)
    {
        var now = _time.GetUtcNow();
        var traceId = Guid.NewGuid().ToString();
        var correlationId = Guid.NewGuid().ToString();
        return (status, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {now:yyyy-MM-dd HH:mm:ss}Z",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = $"{now:yyyy-MM-dd HH:mm:ss}Z",
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
        });
    }

    public void Dispose()
    {
        _signingKey.Dispose();
        foreach (var key in _issuerKeys.Values)
        {
            key.Dispose();
        }
    }

    private sealed record FederatedCredential(string Issuer, string Subject, string Audience);
}

/// <summary>An app registration of the emulated tenant.</summary>
public sealed record EmulatedApplication(string ClientId, string ObjectId, string? Secret);

/// <summary>Who an accepted access token stands for.</summary>
public sealed record TokenPrincipal(string ClientId, string ObjectId, string TenantId);

/// <summary>One answered token request: for which app, how it authenticated, and whether it got a token.</summary>
public sealed record TokenGrant(string ClientId, string Authentication, string? Scope, bool Succeeded, DateTimeOffset Time, string? Error);
