using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ZdPipelines.Hosts.GitHubActions.Deployments;

/// <summary>
/// The Deployments API over HttpClient with source-generated JSON: AOT-safe, no dependency. Headers as GitHub's REST
/// docs ask: <c>Accept: application/vnd.github+json</c>, <c>X-GitHub-Api-Version: 2022-11-28</c>, a User-Agent
/// (requests without one are refused), and the token as bearer.
/// </summary>
internal sealed class GitHubDeploymentsClient : IDeploymentsApi
{
    /// <summary>The REST API version the OpenAPI description in shared/reference/data/github describes.</summary>
    public const string ApiVersion = "2022-11-28";

    private readonly HttpClient _http;
    private readonly string _repositoryPath;

    /// <param name="apiUrl">GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's <c>https://host/api/v3</c>.</param>
    /// <param name="repository">GITHUB_REPOSITORY, "owner/name".</param>
    public GitHubDeploymentsClient(HttpClient http, string apiUrl, string repository, string token)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        var parts = repository.Split('/');
        if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"'{repository}' is not owner/name.", nameof(repository));
        }

        _http = http;
        _repositoryPath = $"{apiUrl.TrimEnd('/')}/repos/{Uri.EscapeDataString(parts[0])}/{Uri.EscapeDataString(parts[1])}";
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        _http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("zdp-action", typeof(GitHubDeploymentsClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<long> CreateDeploymentAsync(NewDeployment deployment, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync($"{_repositoryPath}/deployments", deployment, DeploymentsJson.Default.NewDeployment, cancellationToken);
        // 202 is "Auto-merged branch" with no deployment (only with auto_merge true, which zdp never sends): an error here too.
        if ((int)response.StatusCode != 201)
        {
            throw await ErrorAsync(response, "create deployment", cancellationToken);
        }

        var created = await response.Content.ReadFromJsonAsync(DeploymentsJson.Default.DeploymentCreated, cancellationToken);
        return created?.Id ?? throw new DeploymentsApiException(201, "create deployment", "the answer has no deployment id", null);
    }

    public async Task CreateStatusAsync(long deploymentId, NewDeploymentStatus status, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(
            $"{_repositoryPath}/deployments/{deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/statuses",
            status,
            DeploymentsJson.Default.NewDeploymentStatus,
            cancellationToken);
        if ((int)response.StatusCode != 201)
        {
            throw await ErrorAsync(response, "create deployment status", cancellationToken);
        }
    }

    private static async Task<DeploymentsApiException> ErrorAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        GitHubError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(DeploymentsJson.Default.GitHubError, cancellationToken);
        }
        catch (JsonException)
        {
            // Not GitHub's JSON (a proxy's page): the status code alone has to do.
        }
        catch (NotSupportedException)
        {
            // No JSON content type.
        }

        return new DeploymentsApiException((int)response.StatusCode, operation, error?.Message, error?.DocumentationUrl);
    }
}
