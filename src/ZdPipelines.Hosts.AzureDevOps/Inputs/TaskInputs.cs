namespace ZdPipelines.Hosts.AzureDevOps.Inputs;

/// <summary>
/// Reads task inputs the way the agent hands them over: input <c>name</c> arrives as <c>INPUT_NAME</c>, with '.' and
/// ' ' turned into '_' and upper-cased (agent Handler.cs AddInputsToEnvironment, VarUtil.ConvertToEnvVariableFormat),
/// trimmed, and "" when not set. Problems are reported by input name, as the pipeline author wrote it.
/// </summary>
internal sealed class TaskInputs(TaskEnvironment environment)
{
    /// <summary>The environment variable the agent puts input <paramref name="name"/> in.</summary>
    public static string VariableName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return "INPUT_" + name.Replace('.', '_').Replace(' ', '_').ToUpperInvariant();
    }

    /// <summary>The input's value, or null when it is empty or not set.</summary>
    public string? Optional(string name) => environment.Get(VariableName(name))?.Trim() is { Length: > 0 } value ? value : null;

    /// <summary>The input's value; a problem naming the input and <paramref name="fix"/> when it is empty.</summary>
    public string Required(string name, string fix) =>
        Optional(name) ?? throw new TaskInputException(name, $"input '{name}' is required but empty; {fix}");

    /// <summary>
    /// true or false in any case (azure-pipelines-task-lib's getBoolInput compares upper-cased to TRUE, so it would read
    /// "yes" as false; a typo is reported here instead). Empty gives <paramref name="defaultValue"/>.
    /// </summary>
    public bool Boolean(string name, bool defaultValue) => Optional(name) switch
    {
        null => defaultValue,
        var value when value.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        var value when value.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        var value => throw new TaskInputException(name, $"input '{name}' must be true or false, not '{value}'."),
    };

    /// <summary>One of the <paramref name="options"/> (matched without regard to case); empty gives <paramref name="defaultValue"/>.</summary>
    public T Choice<T>(string name, IReadOnlyDictionary<string, T> options, T defaultValue)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = Optional(name);
        if (value is null)
        {
            return defaultValue;
        }

        foreach (var (option, result) in options)
        {
            if (option.Equals(value, StringComparison.OrdinalIgnoreCase))
            {
                return result;
            }
        }

        throw new TaskInputException(name, $"input '{name}' is '{value}'; use one of: {string.Join(", ", options.Keys)}.");
    }
}
