namespace ZdPipelines.Hosts.AzureDevOps.Logging;

/// <summary>
/// Keeps secrets out of the log and out of files the task writes. <see cref="Register"/> sends
/// <c>task.setsecret</c> for a value before anything could print it, so the agent masks it from then on; the agent
/// masks line by line, so each line of a multi-line secret is registered too, and so is a value's URL-encoded form
/// (the one a query string or a connection string shows). It is bridged with the hosting layer's masker
/// (<see cref="Shared"/>) both ways: what the task registers, the session masks in what it prints and journals; what a
/// platform registers there (credentials it resolved, tokens it exchanged), the agent is told of here.
/// <see cref="Apply"/> masks text that does not pass through the agent's log, such as the uploaded summary.
/// </summary>
internal sealed class SecretMasker
{
    public const string Mask = "***";

    private readonly Lock _lock = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly LoggingCommandWriter _commands;
    private string[] _longestFirst = [];

    public SecretMasker(LoggingCommandWriter commands, Core.Secrets.SecretMasker? shared = null)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
        Shared = shared ?? new Core.Secrets.SecretMasker();
        Shared.Registered += Register;
    }

    /// <summary>The hosting layer's masker for this run (HostOptions.Secrets), kept in step with this one.</summary>
    public Core.Secrets.SecretMasker Shared { get; }

    public void Register(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return;
        }

        var pieces = new List<string> { secret };
        string? escaped = null;
        if (secret.Contains('\n', StringComparison.Ordinal) || secret.Contains('\r', StringComparison.Ordinal))
        {
            pieces.AddRange(secret.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else if (Uri.EscapeDataString(secret) is var encoded && encoded != secret)
        {
            escaped = encoded;
            pieces.Add(encoded);
        }

        var added = new List<string>();
        lock (_lock)
        {
            foreach (var piece in pieces)
            {
                if (piece.Length > 0 && _secrets.Add(piece))
                {
                    // Under the lock: a second thread registering the same value must not print before the agent knows it.
                    _commands.SetSecret(piece);
                    added.Add(piece);
                }
            }

            _longestFirst = [.. _secrets.OrderByDescending(s => s.Length)];
        }

        // Outside the lock: Shared calls back into Register, which finds each value already known. The encoded form is
        // not passed on: Shared encodes for itself, and encoding an encoded value again would never end.
        foreach (var piece in added.Where(p => p != escaped))
        {
            Shared.Add(piece);
        }
    }

    /// <summary><paramref name="text"/> with every registered secret (and every URL password) replaced by <see cref="Mask"/>.</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in Volatile.Read(ref _longestFirst))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return Shared.Mask(text);
    }
}
