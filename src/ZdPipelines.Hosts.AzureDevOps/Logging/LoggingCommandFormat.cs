using System.Text;

namespace ZdPipelines.Hosts.AzureDevOps.Logging;

/// <summary>
/// Writes <c>##vso[area.action k=v;k=v;]message</c> lines with the agent's escaping (Agent.Sdk CommandStringConvertor:
/// ';' %3B, '\r' %0D, '\n' %0A, ']' %5D, applied to property values and the message alike), and '%' first as %AZP25,
/// which the agent turns back into '%' (AgentKnobs DecodePercents, on by default) so a literal "%3B" survives.
/// </summary>
internal static class LoggingCommandFormat
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value
            .Replace("%", "%AZP25", StringComparison.Ordinal)
            .Replace(";", "%3B", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal)
            .Replace("]", "%5D", StringComparison.Ordinal);
    }

    /// <summary>One command line; properties with a null value are left out.</summary>
    public static string Format(string command, IEnumerable<KeyValuePair<string, string?>> properties, string? message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(properties);
        var line = new StringBuilder("##vso[").Append(command);
        var first = true;
        foreach (var (key, value) in properties)
        {
            if (value is null)
            {
                continue;
            }

            line.Append(first ? " " : "").Append(key).Append('=').Append(Escape(value)).Append(';');
            first = false;
        }

        return line.Append(']').Append(Escape(message)).ToString();
    }

    /// <summary>
    /// A formatting command (<c>##[group]</c>, <c>##[endgroup]</c>) is not parsed for properties, but it is one line:
    /// a line break would end it and print the rest as plain output.
    /// </summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
