using System.Text.RegularExpressions;

namespace ZdPipelines.Hosts.GitHubActions.Inputs;

/// <summary>
/// The <c>vars</c> input: one <c>NAME=value</c> per line (blank lines and lines starting with # ignored), whose values
/// fill <c>${NAME}</c> in the spec's text before it is read, so one zdp.yml serves every version:
/// <c>image: shop:${VERSION}</c> with <c>vars: VERSION=${{ github.sha }}</c>. A placeholder with no value is an error
/// naming it and its line, never an empty string: deploying "shop:" would be worse than not deploying. <c>$${NAME}</c>
/// writes a literal <c>${NAME}</c>. The filling is <see cref="Hosting.Specs.SpecPlaceholders"/>, shared with the Azure DevOps task.
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

    private static string Shorten(string line) => line.Length <= 20 ? line : line[..20] + "…";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
