namespace ZdPipelines.Hosts.GitHubActions.Deployments;

/// <summary>
/// The two calls of GitHub's Deployments API that zdp makes. One small interface so that another client (Octokit, if
/// it ever works under NativeAOT) can replace <see cref="GitHubDeploymentsClient"/> without touching the reporter.
/// </summary>
internal interface IDeploymentsApi
{
    /// <summary>Creates the deployment and returns its id.</summary>
    Task<long> CreateDeploymentAsync(NewDeployment deployment, CancellationToken cancellationToken);

    Task CreateStatusAsync(long deploymentId, NewDeploymentStatus status, CancellationToken cancellationToken);
}

/// <summary>GitHub answered a Deployments call with an error status; <see cref="Message"/> is GitHub's own.</summary>
internal sealed class DeploymentsApiException(int statusCode, string operation, string? gitHubMessage, string? documentationUrl)
    : Exception($"GitHub answered {operation} with HTTP {statusCode}{(gitHubMessage is null ? "" : $": {gitHubMessage}")}")
{
    public int StatusCode { get; } = statusCode;

    public string Operation { get; } = operation;

    public string? GitHubMessage { get; } = gitHubMessage;

    public string? DocumentationUrl { get; } = documentationUrl;

    /// <summary>
    /// The token may not write deployments: GitHub answers 403 "Resource not accessible by integration" for a
    /// GITHUB_TOKEN without <c>deployments: write</c>, and 404 "Not Found" for a token that cannot see the repository.
    /// </summary>
    public bool IsMissingPermission => StatusCode is 403 or 404;
}
