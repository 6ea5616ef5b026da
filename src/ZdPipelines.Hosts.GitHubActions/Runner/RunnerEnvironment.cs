namespace ZdPipelines.Hosts.GitHubActions.Runner;

/// <summary>
/// The variables the runner sets for every step (docs variables.md; runner ContainerActionHandler.cs sets the same in a
/// container action, with paths under /github/...). Read from a dictionary so tests pass their own.
/// </summary>
internal sealed record RunnerEnvironment(IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>The public GitHub, for a run outside Actions (a local try of the image).</summary>
    public const string DefaultServerUrl = "https://github.com";

    public const string DefaultApiUrl = "https://api.github.com";

    public static RunnerEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }

        return new RunnerEnvironment(variables);
    }

    public bool IsGitHubActions => Get("GITHUB_ACTIONS") == "true";

    /// <summary>"owner/name".</summary>
    public string? Repository => Get("GITHUB_REPOSITORY");

    public string? Sha => Get("GITHUB_SHA");

    public string? Ref => Get("GITHUB_REF");

    public string ServerUrl => (Get("GITHUB_SERVER_URL") ?? DefaultServerUrl).TrimEnd('/');

    public string ApiUrl => (Get("GITHUB_API_URL") ?? DefaultApiUrl).TrimEnd('/');

    public string? RunId => Get("GITHUB_RUN_ID");

    public string? RunAttempt => Get("GITHUB_RUN_ATTEMPT");

    public string? Workspace => Get("GITHUB_WORKSPACE");

    public string? OutputPath => Get("GITHUB_OUTPUT");

    public string? StepSummaryPath => Get("GITHUB_STEP_SUMMARY");

    public string? EventPath => Get("GITHUB_EVENT_PATH");

    public string? IdTokenRequestUrl => Get("ACTIONS_ID_TOKEN_REQUEST_URL");

    public string? IdTokenRequestToken => Get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");

    /// <summary>RUNNER_DEBUG=1 when the run was re-run with debug logging.</summary>
    public bool Debug => Get("RUNNER_DEBUG") == "1";

    /// <summary>The run's page: <c>$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID</c> (docs variables.md).</summary>
    public string? RunUrl => Repository is { } repository && RunId is { } runId ? $"{ServerUrl}/{repository}/actions/runs/{runId}" : null;

    /// <summary>"build-agent/1234#2": who holds zdp's lease, so a refused run elsewhere can say which run has the target.</summary>
    public string? RunLabel => Repository is { } repository && RunId is { } runId ? $"{repository}/actions/runs/{runId}" : null;

    public string? Get(string name) => Variables.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
