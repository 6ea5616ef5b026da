using ZdPipelines.Hosts.AzureDevOps;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Support;

/// <summary>Builds a task environment the way the agent does (agent Handler.cs): INPUT_*, ENDPOINT_*, variables.</summary>
internal sealed class Agent
{
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

    public Agent Input(string name, string value)
    {
        _variables["INPUT_" + Format(name)] = value.Trim();
        return this;
    }

    public Agent Variable(string name, string value)
    {
        _variables[Format(name)] = value;
        return this;
    }

    /// <summary>A service connection with <paramref name="id"/> (a GUID, lower case as the agent writes it).</summary>
    public Agent Endpoint(string id, string scheme, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string>? data = null, string? url = null)
    {
        _variables[$"ENDPOINT_URL_{id}"] = url ?? "";
        _variables[$"ENDPOINT_AUTH_SCHEME_{id}"] = scheme;
        _variables[$"ENDPOINT_AUTH_{id}"] = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["parameters"] = parameters, ["scheme"] = scheme });
        foreach (var (key, value) in parameters)
        {
            _variables[$"ENDPOINT_AUTH_PARAMETER_{id}_{Format(key)}"] = value;
        }

        if (data is not null)
        {
            _variables[$"ENDPOINT_DATA_{id}"] = System.Text.Json.JsonSerializer.Serialize(data);
            foreach (var (key, value) in data)
            {
                _variables[$"ENDPOINT_DATA_{id}_{Format(key)}"] = value;
            }
        }

        return this;
    }

    /// <summary>The job's own connection, with the access token that calls Azure DevOps back.</summary>
    public Agent SystemVssConnection(string accessToken, string? oidcRequestUri)
    {
        _variables["ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION"] = "OAuth";
        _variables["ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN"] = accessToken;
        if (oidcRequestUri is not null)
        {
            _variables["SYSTEM_OIDCREQUESTURI"] = oidcRequestUri;
        }

        return this;
    }

    public TaskEnvironment Environment() => new(_variables);

    private static string Format(string name) => name.Replace('.', '_').Replace(' ', '_').ToUpperInvariant();
}
