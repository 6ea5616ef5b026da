namespace ZdPipelines.Hosts.AzureDevOps.Logging;

/// <summary>
/// Keeps secrets out of the log and out of files the task writes. <see cref="Register"/> sends
/// <c>task.setsecret</c> for a value before anything could print it, so the agent masks it from then on; the agent
/// masks line by line, so each line of a multi-line secret is registered too. <see cref="Apply"/> does the same
/// replacement for text that does not pass through the agent's log, such as the uploaded summary.
/// </summary>
internal sealed class SecretMasker(LoggingCommandWriter commands)
{
    public const string Mask = "***";

    private readonly Lock _lock = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private string[] _longestFirst = [];

    public void Register(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return;
        }

        var pieces = new List<string> { secret };
        if (secret.Contains('\n', StringComparison.Ordinal) || secret.Contains('\r', StringComparison.Ordinal))
        {
            pieces.AddRange(secret.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        lock (_lock)
        {
            foreach (var piece in pieces)
            {
                if (piece.Length > 0 && _secrets.Add(piece))
                {
                    commands.SetSecret(piece);
                }
            }

            _longestFirst = [.. _secrets.OrderByDescending(s => s.Length)];
        }
    }

    /// <summary><paramref name="text"/> with every registered secret replaced by <see cref="Mask"/>.</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in Volatile.Read(ref _longestFirst))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
