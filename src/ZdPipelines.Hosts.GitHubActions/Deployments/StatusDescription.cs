using System.Globalization;

namespace ZdPipelines.Hosts.GitHubActions.Deployments;

/// <summary>A deployment status description: at most 140 characters (the OpenAPI description's words), cut safely.</summary>
internal static class StatusDescription
{
    public const int MaxLength = 140;

    /// <summary>
    /// <paramref name="text"/> on one line, cut to <see cref="MaxLength"/> with an ellipsis. The cut falls between text
    /// elements, so a surrogate pair or a letter with its combining mark is never split into invalid text.
    /// </summary>
    public static string Fit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (line.Length <= MaxLength)
        {
            return line;
        }

        var enumerator = StringInfo.GetTextElementEnumerator(line);
        var end = 0;
        while (enumerator.MoveNext())
        {
            var next = enumerator.ElementIndex + enumerator.GetTextElement().Length;
            if (next > MaxLength - 1)
            {
                break;
            }

            end = next;
        }

        return line[..end].TrimEnd() + "…";
    }
}
