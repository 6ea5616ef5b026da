using System.Collections;

namespace ZdPipelines.Hosts.AzureDevOps;

/// <summary>
/// The environment the agent started the task with: inputs (INPUT_*), service connections (ENDPOINT_*) and job
/// variables (SYSTEM_*, AGENT_*). Everything reads it through this, so tests give their own.
/// </summary>
internal sealed class TaskEnvironment
{
    private readonly Dictionary<string, string> _variables;

    public TaskEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);

        // Case-insensitive: the agent upper-cases every name it formats, but an endpoint's key is its id as
        // Guid.ToString() writes it (lower case, agent Handler.cs), and a YAML pipeline may hand the id over in
        // another case. First one wins if a Linux environment really holds two names that differ only in case.
        _variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in variables)
        {
            _variables.TryAdd(name, value);
        }
    }

    public static TaskEnvironment FromProcess()
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                variables.Add(new(name, value));
            }
        }

        return new TaskEnvironment(variables);
    }

    /// <summary>The value, or null when the variable is not set or is empty (the agent sets absent inputs to "").</summary>
    public string? Get(string name) =>
        _variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Every variable whose name starts with <paramref name="prefix"/>, as (name, value).</summary>
    public IEnumerable<KeyValuePair<string, string>> WithPrefix(string prefix) =>
        _variables.Where(v => v.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
