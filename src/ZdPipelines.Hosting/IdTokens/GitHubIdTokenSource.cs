using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Secrets;

namespace ZdPipelines.Hosting.IdTokens;

/// <summary>
/// GitHub Actions' ID tokens, as the toolkit fetches them (core/src/oidc-utils.ts): GET
/// <c>$ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=&lt;urlencoded&gt;</c> (the URL already has a query string) with
/// <c>Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN</c>, answer <c>{"value": "&lt;jwt&gt;"}</c>. Each token is
/// masked before anything can print it, kept per audience, and fetched again once it is within
/// <see cref="RefreshBeforeExpiry"/> of its <c>exp</c>, so a deployment that outlives a token gets a fresh one.
/// </summary>
public sealed class GitHubIdTokenSource(HttpClient http, string? requestUrl, string? requestToken, SecretMasker masker, TimeProvider time) : IIdTokenSource, IDisposable
{
    /// <summary>
    /// GitHub's tokens live for minutes; STS and Entra reject one that expires mid-exchange. Five minutes covers an exchange
    /// with all its retries; a token with less left is not worth handing out.
    /// </summary>
    public static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, (string Token, DateTimeOffset? Expires)> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public const string RequestUrlVariable = "ACTIONS_ID_TOKEN_REQUEST_URL";
    public const string RequestTokenVariable = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

    /// <summary>The job's token source when the runner offers one (the job has `permissions: id-token: write`), else null.</summary>
    public static GitHubIdTokenSource? FromEnvironment(HttpClient http, Func<string, string?> variable, SecretMasker masker, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var (url, token) = (variable(RequestUrlVariable), variable(RequestTokenVariable));
        return string.IsNullOrEmpty(url) || string.IsNullOrEmpty(token) ? null : new GitHubIdTokenSource(http, url, token, masker, time);
    }

    public string Name => "GitHub Actions OIDC";

    public void Dispose() => _gate.Dispose();

    public async Task<string> GetTokenAsync(string audience, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        if (string.IsNullOrEmpty(requestUrl) || string.IsNullOrEmpty(requestToken))
        {
            throw new PlatformException(
                "GitHub gave this job no ID token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. " +
                "Fix: add `permissions: id-token: write` to the job (or workflow).");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cache.TryGetValue(audience, out var cached) && (cached.Expires is not { } expires || time.GetUtcNow() < expires - RefreshBeforeExpiry))
            {
                return cached.Token;
            }

            var token = await FetchAsync(audience, cancellationToken);
            _cache[audience] = (token, JwtExpiry.Read(token));
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> FetchAsync(string audience, CancellationToken cancellationToken)
    {
        var separator = requestUrl!.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{requestUrl}{separator}audience={Uri.EscapeDataString(audience)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", requestToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new PlatformException($"The ID token request to GitHub failed: {e.Message}. Fix: re-run the job; GitHub's token service may have been unreachable.", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new PlatformException(
                    $"GitHub refused the ID token request for audience {audience} (HTTP {(int)response.StatusCode}). " +
                    "Fix: give the job `permissions: id-token: write`; a workflow from a fork gets no ID token.");
            }

            IdTokenAnswer? answer;
            try
            {
                answer = await response.Content.ReadFromJsonAsync(IdTokenJson.Default.IdTokenAnswer, cancellationToken);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
            {
                throw new PlatformException("GitHub's ID token answer is not the expected JSON. Fix: re-run the job.", e);
            }

            if (answer?.Value is not { Length: > 0 } token)
            {
                throw new PlatformException("GitHub's ID token answer has no \"value\". Fix: re-run the job.");
            }

            masker.Add(token);
            return token;
        }
    }
}

internal sealed record IdTokenAnswer([property: JsonPropertyName("value")] string? Value);

[JsonSerializable(typeof(IdTokenAnswer))]
internal sealed partial class IdTokenJson : JsonSerializerContext;
