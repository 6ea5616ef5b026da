using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ZdPipelines.Hosts.AzureDevOps.Logging;

namespace ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

/// <summary>
/// Gets an ID token (a JWT) for a service connection from Azure DevOps, for workload identity federation:
/// <c>POST $(System.OidcRequestUri)?api-version=7.1&amp;serviceConnectionId=&lt;id&gt;</c> with the job's own access
/// token (the SystemVssConnection's) as Bearer, answered with <c>{"oidcToken": "…"}</c>. The token goes to Entra ID
/// as a client assertion, or to AWS STS AssumeRoleWithWebIdentity. Each token is registered as a secret before it
/// is returned.
/// </summary>
internal sealed class OidcTokenClient
{
    /// <summary>The Azure DevOps REST version the OIDC request URI is documented with.</summary>
    public const string ApiVersion = "7.1";

    private readonly HttpClient _http;
    private readonly Uri _requestUri;
    private readonly string _accessToken;
    private readonly SecretMasker _masker;

    public OidcTokenClient(HttpClient http, Uri requestUri, string accessToken, SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(requestUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        ArgumentNullException.ThrowIfNull(masker);
        _http = http;
        _requestUri = requestUri;
        _accessToken = accessToken;
        _masker = masker;
    }

    /// <summary>The client for this job, from SYSTEM_OIDCREQUESTURI and the SystemVssConnection's access token.</summary>
    public static OidcTokenClient FromEnvironment(TaskEnvironment environment, HttpClient http, SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(masker);
        var uri = environment.Get("SYSTEM_OIDCREQUESTURI");
        if (uri is null || !Uri.TryCreate(uri, UriKind.Absolute, out var requestUri))
        {
            throw new ServiceConnectionException(
                "System.OidcRequestUri is not set, so no ID token can be requested for workload identity federation; "
                + "Azure DevOps Services sets it for every job: on Azure DevOps Server, use a connection with a secret instead.");
        }

        var accessToken = ServiceEndpoint.Find(environment, ServiceEndpoint.SystemVssConnection)?.AuthParameter("AccessToken")
            ?? throw new ServiceConnectionException(
                "the job's access token (SystemVssConnection) was not passed to the task, so no ID token can be requested; "
                + "check that the job's authorization scope is not restricted to none.");
        masker.Register(accessToken);
        return new OidcTokenClient(http, requestUri, accessToken, masker);
    }

    public async Task<string> RequestIdTokenAsync(string serviceConnectionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceConnectionId);
        var separator = string.IsNullOrEmpty(_requestUri.Query) ? "?" : "&";
        var uri = new Uri($"{_requestUri.AbsoluteUri}{separator}api-version={ApiVersion}&serviceConnectionId={Uri.EscapeDataString(serviceConnectionId)}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ServiceConnectionException($"could not reach Azure DevOps at {_requestUri.GetLeftPart(UriPartial.Path)} for an ID token: {e.Message}", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ServiceConnectionException(Explain(response.StatusCode, serviceConnectionId));
            }

            var token = ReadToken(body)
                ?? throw new ServiceConnectionException(
                    $"Azure DevOps answered the ID token request for service connection {serviceConnectionId} without an oidcToken; "
                    + "check that the connection uses workload identity federation.");
            _masker.Register(token);
            return token;
        }
    }

    private static string Explain(HttpStatusCode status, string serviceConnectionId) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            $"Azure DevOps refused the job's access token when asked for an ID token for service connection {serviceConnectionId} (HTTP {(int)status}); "
            + "check that the pipeline is allowed to use this service connection.",
        HttpStatusCode.NotFound or HttpStatusCode.BadRequest =>
            $"Azure DevOps has no ID token for service connection {serviceConnectionId} (HTTP {(int)status}); "
            + "check that the connection exists, that this pipeline may use it, and that it uses workload identity federation.",
        _ => $"Azure DevOps answered the ID token request for service connection {serviceConnectionId} with HTTP {(int)status}; retry the job.",
    };

    private static string? ReadToken(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("oidcToken", out var token)
                && token.ValueKind == JsonValueKind.String
                && token.GetString() is { Length: > 0 } value
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
