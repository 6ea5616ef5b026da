using System.Text;
using System.Text.RegularExpressions;

namespace ZdPipelines.Hosting.Specs;

/// <summary>
/// <c>${NAME}</c> placeholders in a spec's text, filled from values a CI host was given (the GitHub Action's and the
/// Azure DevOps task's <c>vars</c> input) before the spec is read, so one zdp.yml serves every version:
/// <c>image: shop:${VERSION}</c>. A placeholder with no value is reported with its line and column, never replaced by
/// an empty string: deploying "shop:" would be worse than not deploying. <c>$${NAME}</c> writes a literal
/// <c>${NAME}</c>. Substitution is textual and never adds lines, so spec errors keep their line numbers.
/// </summary>
public static partial class SpecPlaceholders
{
    /// <summary>The spec text with every placeholder filled, or the placeholders that have no value (with their line).</summary>
    public static SubstitutionResult Substitute(string specText, IReadOnlyDictionary<string, string> vars)
    {
        ArgumentNullException.ThrowIfNull(specText);
        ArgumentNullException.ThrowIfNull(vars);
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

    [GeneratedRegex(@"(?<escape>\$)?\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}

/// <summary>A placeholder with no value: its name and where it is (1-based).</summary>
public sealed record MissingVariable(string Name, int Line, int Column);

/// <summary>The filled-in text; when <see cref="Missing"/> is not empty, the text still holds those placeholders and must not be used.</summary>
public sealed record SubstitutionResult(string Text, IReadOnlyList<MissingVariable> Missing);
