using System.Text;
using System.Text.RegularExpressions;

namespace ZdPipelines.Hosts.GitHubActions.Inputs;

/// <summary>
/// The <c>vars</c> input: one <c>NAME=value</c> per line (blank lines and lines starting with # ignored), whose values
/// fill <c>${NAME}</c> in the spec's text before it is read, so one zdp.yml serves every version:
/// <c>image: shop:${VERSION}</c> with <c>vars: VERSION=${{ github.sha }}</c>. A placeholder with no value is an error
/// naming it and its line, never an empty string: deploying "shop:" would be worse than not deploying. <c>$${NAME}</c>
/// writes a literal <c>${NAME}</c>. Substitution is textual and never adds lines, so spec errors keep their line numbers.
/// </summary>
internal static partial class SpecVariables
{
    public static IReadOnlyDictionary<string, string> Parse(string? text, InputReader inputs)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is null)
        {
            return vars;
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? line : line[..equals].Trim();
            if (equals < 0 || !NamePattern().IsMatch(name))
            {
                inputs.Problem("vars", $"line {i + 1} ('{(equals < 0 ? Shorten(line) : name)}') is not NAME=value with NAME of letters, digits and _", "write one NAME=value per line, such as VERSION=1.4.2.");
                continue;
            }

            if (!vars.TryAdd(name, line[(equals + 1)..].Trim()))
            {
                inputs.Problem("vars", $"line {i + 1} sets {name} a second time", $"keep one {name}= line.");
            }
        }

        return vars;
    }

    /// <summary>The spec text with every placeholder filled, or the placeholders that have no value (with their line).</summary>
    public static SubstitutionResult Substitute(string specText, IReadOnlyDictionary<string, string> vars)
    {
        var missing = new List<MissingVariable>();
        var result = new StringBuilder(specText.Length);
        var last = 0;
        foreach (Match match in Placeholder().Matches(specText))
        {
            result.Append(specText, last, match.Index - last);
            last = match.Index + match.Length;
            if (match.Groups["escape"].Success)
            {
                result.Append("${").Append(match.Groups["name"].Value).Append('}');
                continue;
            }

            var name = match.Groups["name"].Value;
            if (vars.TryGetValue(name, out var value))
            {
                result.Append(value);
            }
            else
            {
                var line = 1 + specText.AsSpan(0, match.Index).Count('\n');
                var column = match.Index - (specText.LastIndexOf('\n', Math.Max(0, match.Index - 1)) + 1) + 1;
                missing.Add(new MissingVariable(name, line, column));
                result.Append(match.Value);
            }
        }

        result.Append(specText, last, specText.Length - last);
        return new SubstitutionResult(result.ToString(), missing);
    }

    private static string Shorten(string line) => line.Length <= 20 ? line : line[..20] + "…";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"(?<escape>\$)?\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}

internal sealed record MissingVariable(string Name, int Line, int Column);

internal sealed record SubstitutionResult(string Text, IReadOnlyList<MissingVariable> Missing);
