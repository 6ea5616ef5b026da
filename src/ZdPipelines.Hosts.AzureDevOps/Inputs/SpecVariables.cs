using System.Text.RegularExpressions;

namespace ZdPipelines.Hosts.AzureDevOps.Inputs;

/// <summary>
/// The <c>vars</c> input: values for the spec, one <c>NAME=value</c> per line. Blank lines and lines starting with '#'
/// are skipped; the value is everything after the first '=', kept as written (it may hold '=' and spaces).
/// </summary>
internal static partial class SpecVariables
{
    public const string InputName = "vars";

    public static IReadOnlyDictionary<string, string> Parse(string? text)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return variables;
        }

        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var lineNumber = index + 1;
            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new TaskInputException(InputName, $"input '{InputName}' line {lineNumber} has no '=': write NAME=value, e.g. IMAGE_TAG=1.4.2.");
            }

            var name = trimmed[..equals].Trim();
            if (!NamePattern().IsMatch(name))
            {
                throw new TaskInputException(InputName,
                    $"input '{InputName}' line {lineNumber}: '{name}' is not a variable name; use letters, digits and '_', starting with a letter or '_'.");
            }

            if (!variables.TryAdd(name, trimmed[(equals + 1)..]))
            {
                throw new TaskInputException(InputName, $"input '{InputName}' line {lineNumber} sets {name} again; keep one line per name.");
            }
        }

        return variables;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
