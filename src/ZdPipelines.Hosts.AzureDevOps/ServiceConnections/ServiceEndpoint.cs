using System.Text.Json;

namespace ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

/// <summary>
/// One service connection as the agent hands it to a task (agent Handler.cs AddEndpointsToEnvironment), keyed by
/// <c>id</c>, the value of the task's connectedService input: <c>ENDPOINT_URL_id</c>, <c>ENDPOINT_AUTH_SCHEME_id</c>,
/// <c>ENDPOINT_AUTH_PARAMETER_id_KEY</c> and <c>ENDPOINT_DATA_id_KEY</c> (keys upper-cased), plus the same parameters
/// and data as JSON in <c>ENDPOINT_AUTH_id</c> and <c>ENDPOINT_DATA_id</c>, which are read when a single variable is missing.
/// </summary>
internal sealed class ServiceEndpoint
{
    /// <summary>The key of the job's own connection, whose access token calls back to Azure DevOps.</summary>
    public const string SystemVssConnection = "SYSTEMVSSCONNECTION";

    private readonly TaskEnvironment _environment;
    private readonly Lazy<Dictionary<string, string>> _authParameters;
    private readonly Lazy<Dictionary<string, string>> _data;

    private ServiceEndpoint(TaskEnvironment environment, string id, string? scheme)
    {
        _environment = environment;
        Id = id;
        Scheme = scheme;
        _authParameters = new(() => ReadJsonObject(environment.Get($"ENDPOINT_AUTH_{id}"), "parameters"));
        _data = new(() => ReadJsonObject(environment.Get($"ENDPOINT_DATA_{id}"), null));
    }

    public string Id { get; }

    /// <summary>The authorization scheme: WorkloadIdentityFederation, ServicePrincipal, UsernamePassword, None, OAuth, …</summary>
    public string? Scheme { get; }

    public string? Url => _environment.Get($"ENDPOINT_URL_{Id}");

    /// <summary>The connection with this id, or null when the agent passed none (an id no input of this task names).</summary>
    public static ServiceEndpoint? Find(TaskEnvironment environment, string id)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var scheme = environment.Get($"ENDPOINT_AUTH_SCHEME_{id}")
            ?? ReadJsonString(environment.Get($"ENDPOINT_AUTH_{id}"), "scheme");
        return scheme is null && environment.Get($"ENDPOINT_URL_{id}") is null && environment.Get($"ENDPOINT_AUTH_{id}") is null
            ? null
            : new ServiceEndpoint(environment, id, scheme);
    }

    public string? AuthParameter(string key) =>
        _environment.Get($"ENDPOINT_AUTH_PARAMETER_{Id}_{FormatKey(key)}")
        ?? (_authParameters.Value.TryGetValue(key, out var value) && value.Length > 0 ? value : null);

    public string? Data(string key) =>
        _environment.Get($"ENDPOINT_DATA_{Id}_{FormatKey(key)}")
        ?? (_data.Value.TryGetValue(key, out var value) && value.Length > 0 ? value : null);

    // VarUtil.ConvertToEnvVariableFormat: '.' and ' ' become '_', then upper case.
    private static string FormatKey(string key) => key.Replace('.', '_').Replace(' ', '_').ToUpperInvariant();

    private static string? ReadJsonString(string? json, string property)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && TryGetProperty(document.RootElement, property, out var value)
                && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> ReadJsonObject(string? json, string? property)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (json is null)
        {
            return result;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            if (property is not null && (element.ValueKind != JsonValueKind.Object || !TryGetProperty(element, property, out element)))
            {
                return result;
            }

            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var item in element.EnumerateObject())
                {
                    if (item.Value.ValueKind == JsonValueKind.String)
                    {
                        result.TryAdd(item.Name, item.Value.GetString()!);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // A malformed copy is no worse than a missing one: the single variables are the primary source.
        }

        return result;
    }

    // The agent serialises with camelCase (JsonUtility), older agents with PascalCase.
    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var item in element.EnumerateObject())
        {
            if (item.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = item.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
