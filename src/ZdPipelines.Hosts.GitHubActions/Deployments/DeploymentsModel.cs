using System.Text.Json.Serialization;

namespace ZdPipelines.Hosts.GitHubActions.Deployments;

/// <summary>
/// POST /repos/{owner}/{repo}/deployments (repos/create-deployment), the members zdp sends. Inside Actions,
/// <c>auto_merge: false</c> and <c>required_contexts: []</c>: the defaults would merge the default branch into the ref
/// and wait for every status check, including the run that is creating the deployment (docs rest/deployments).
/// </summary>
internal sealed record NewDeployment
{
    [JsonPropertyName("ref")]
    public required string Ref { get; init; }

    [JsonPropertyName("task")]
    public string Task { get; init; } = "deploy";

    [JsonPropertyName("auto_merge")]
    public bool AutoMerge { get; init; }

    [JsonPropertyName("required_contexts")]
    public IReadOnlyList<string> RequiredContexts { get; init; } = [];

    [JsonPropertyName("environment")]
    public required string Environment { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("payload")]
    public DeploymentPayload? Payload { get; init; }

    /// <summary>Left out unless set: GitHub then treats an environment named "production" as production, which is what users expect.</summary>
    [JsonPropertyName("production_environment")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ProductionEnvironment { get; init; }

    /// <summary>False: a zdp target outlives the deployment (the old side is kept, the listener stays).</summary>
    [JsonPropertyName("transient_environment")]
    public bool TransientEnvironment { get; init; }
}

/// <summary>What zdp records in the deployment's payload, for people and tools reading the deployment later.</summary>
internal sealed record DeploymentPayload(
    [property: JsonPropertyName("tool")] string Tool,
    [property: JsonPropertyName("spec")] string Spec);

/// <summary>POST …/deployments/{deployment_id}/statuses (repos/create-deployment-status).</summary>
internal sealed record NewDeploymentStatus
{
    [JsonPropertyName("state")]
    public required DeploymentState State { get; init; }

    /// <summary>Replaces target_url (GitHub sets target_url to the same value).</summary>
    [JsonPropertyName("log_url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LogUrl { get; init; }

    /// <summary>At most 140 characters (the description's own words); see <see cref="StatusDescription"/>.</summary>
    [JsonPropertyName("description")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonPropertyName("environment_url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EnvironmentUrl { get; init; }

    /// <summary>True (GitHub's default) marks earlier successful deployments to the environment inactive on success.</summary>
    [JsonPropertyName("auto_inactive")]
    public bool AutoInactive { get; init; } = true;
}

/// <summary>The deployment-status <c>state</c> enum of the OpenAPI description.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeploymentState>))]
internal enum DeploymentState
{
    [JsonStringEnumMemberName("error")]
    Error,
    [JsonStringEnumMemberName("failure")]
    Failure,
    [JsonStringEnumMemberName("inactive")]
    Inactive,
    [JsonStringEnumMemberName("in_progress")]
    InProgress,
    [JsonStringEnumMemberName("queued")]
    Queued,
    [JsonStringEnumMemberName("pending")]
    Pending,
    [JsonStringEnumMemberName("success")]
    Success,
}

/// <summary>The members of the answers zdp reads (the deployment and deployment-status schemas have many more).</summary>
internal sealed record DeploymentCreated(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("url")] string? Url);

internal sealed record DeploymentStatusCreated(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("state")] string? State);

/// <summary>basic-error and validation-error: what GitHub says went wrong.</summary>
internal sealed record GitHubError(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("documentation_url")] string? DocumentationUrl);

/// <summary>Source-generated, so the client works trimmed and under NativeAOT (Octokit 14's reflection serializer does not).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(NewDeployment))]
[JsonSerializable(typeof(NewDeploymentStatus))]
[JsonSerializable(typeof(DeploymentCreated))]
[JsonSerializable(typeof(DeploymentStatusCreated))]
[JsonSerializable(typeof(GitHubError))]
internal sealed partial class DeploymentsJson : JsonSerializerContext;
