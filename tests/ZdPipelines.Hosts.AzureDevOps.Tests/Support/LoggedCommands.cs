namespace ZdPipelines.Hosts.AzureDevOps.Tests.Support;

/// <summary>A logging command as the agent parses it: ##vso[name k=v;k=v]data, unescaped (Agent.Sdk CommandStringConvertor).</summary>
internal sealed record LoggedCommand(string Name, IReadOnlyDictionary<string, string> Properties, string Data)
{
    public static IReadOnlyList<LoggedCommand> Parse(string log) =>
        [.. log.Split('\n').Select(l => l.TrimEnd('\r')).Select(TryParse).OfType<LoggedCommand>()];

    public static LoggedCommand? TryParse(string line)
    {
        const string Start = "##vso[";
        var start = line.IndexOf(Start, StringComparison.Ordinal);
        var close = start < 0 ? -1 : line.IndexOf(']', start);
        if (close < 0)
        {
            return null;
        }

        var head = line[(start + Start.Length)..close];
        var space = head.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? head : head[..space];
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (space >= 0)
        {
            foreach (var pair in head[(space + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    properties[pair[..equals].Trim()] = Unescape(pair[(equals + 1)..]);
                }
            }
        }

        return new LoggedCommand(name, properties, Unescape(line[(close + 1)..]));
    }

    private static string Unescape(string value) => value
        .Replace("%3B", ";", StringComparison.Ordinal)
        .Replace("%0D", "\r", StringComparison.Ordinal)
        .Replace("%0A", "\n", StringComparison.Ordinal)
        .Replace("%5D", "]", StringComparison.Ordinal)
        .Replace("%AZP25", "%", StringComparison.Ordinal);
}
