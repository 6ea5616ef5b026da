namespace ZdPipelines.Hosts.GitHubActions.Inputs;

/// <summary>
/// Reads the action's inputs as the runner passes them: <c>INPUT_</c> + the name with only spaces turned into
/// underscores, upper-cased, hyphens kept (runner Handlers/Handler.cs AddInputsToEnvironment), so <c>github-token</c>
/// arrives as <c>INPUT_GITHUB-TOKEN</c>. Values are trimmed and an empty value counts as not given, as in the toolkit
/// (core/src/core.ts getInput). Problems are collected, so one run reports every bad input at once.
/// </summary>
internal sealed class InputReader(IReadOnlyDictionary<string, string> environment)
{
    private readonly List<InputProblem> _problems = [];

    public IReadOnlyList<InputProblem> Problems => _problems;

    public static string VariableName(string input) => "INPUT_" + input.Replace(' ', '_').ToUpperInvariant();

    /// <summary>The trimmed value, or null when the input is unset or blank.</summary>
    public string? Optional(string input) =>
        environment.TryGetValue(VariableName(input), out var value) && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>The value as written, only trimmed at its ends: for multi-line inputs whose lines matter.</summary>
    public string? Multiline(string input) => Optional(input);

    /// <summary>
    /// A required input. <c>required: true</c> in action.yml does not stop the runner from starting the step without
    /// it (docs metadata-syntax.md), so the program checks.
    /// </summary>
    public string Required(string input, string fix)
    {
        if (Optional(input) is { } value)
        {
            return value;
        }

        Problem(input, "is required but was not given", fix);
        return "";
    }

    /// <summary>
    /// A boolean as the toolkit parses one (core.ts getBooleanInput): true, True, TRUE, false, False, FALSE and nothing
    /// else, so a typo such as "yes" is an error instead of silently false.
    /// </summary>
    public bool Boolean(string input, bool defaultValue)
    {
        switch (Optional(input))
        {
            case null:
                return defaultValue;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            case var other:
                Problem(input, $"is '{other}', which is not a boolean", "write true or false.");
                return defaultValue;
        }
    }

    /// <summary>One of <paramref name="allowed"/> (exact, lower case), or the default.</summary>
    public string Choice(string input, IReadOnlyList<string> allowed, string defaultValue)
    {
        var value = Optional(input);
        if (value is null)
        {
            return defaultValue;
        }

        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        Problem(input, $"is '{value}', which is not one of {string.Join(", ", allowed)}", $"write one of {string.Join(", ", allowed)}.");
        return defaultValue;
    }

    public void Problem(string input, string problem, string fix) => _problems.Add(new InputProblem(input, problem, fix));
}

/// <summary>One bad input: "input 'command' is 'deplyo', which is not one of … Fix: write one of …".</summary>
internal sealed record InputProblem(string Input, string Problem, string Fix)
{
    public override string ToString() => $"input '{Input}' {Problem}. Fix: {Fix}";
}
