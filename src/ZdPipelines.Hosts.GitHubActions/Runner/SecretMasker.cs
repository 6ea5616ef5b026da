using System.Text.RegularExpressions;

namespace ZdPipelines.Hosts.GitHubActions.Runner;

/// <summary>
/// Registers every secret with the runner (<c>::add-mask::</c>) before anything could print it, and masks the same
/// values in text zdp-action writes itself to places the runner does not mask (outputs).
/// </summary>
internal sealed partial class SecretMasker
{
    /// <summary>What the runner prints instead of a registered value.</summary>
    public const string Mask = "***";

    private readonly WorkflowLog log;

    /// <summary>
    /// Every value registered here is added to <paramref name="shared"/> (the session's masker, which redacts the journal),
    /// and every secret a platform adds there (credentials it resolved) is registered with the runner here.
    /// </summary>
    public SecretMasker(WorkflowLog log, Core.Secrets.SecretMasker? shared = null)
    {
        this.log = log;
        Shared = shared ?? new Core.Secrets.SecretMasker();
        Shared.Registered += Register;
    }

    /// <summary>The hosting layer's masker for this run, kept in step with this one.</summary>
    public Core.Secrets.SecretMasker Shared { get; }

    private readonly Lock _sync = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Secrets
    {
        get
        {
            lock (_sync)
            {
                return [.. _secrets];
            }
        }
    }

    /// <summary>
    /// Registers <paramref name="secret"/>, and each of its lines on its own: the runner matches a registered value
    /// within one line of the log, so a multi-line secret (a PEM key) printed line by line would otherwise leak.
    /// </summary>
    public void Register(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return; // The runner refuses to mask an empty value; there is nothing to hide either.
        }

        var values = new List<string> { secret };
        if (secret.Contains('\n', StringComparison.Ordinal) || secret.Contains('\r', StringComparison.Ordinal))
        {
            values.AddRange(secret.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        foreach (var value in values)
        {
            bool added;
            lock (_sync)
            {
                added = _secrets.Add(value);
            }

            if (added)
            {
                log.AddMask(value);
                Shared.Add(value);
            }
        }
    }

    /// <summary>Registers the password of every <c>scheme://user:password@host</c> URL in <paramref name="text"/> (a spec, a connection string).</summary>
    public void RegisterUrlPasswords(string text)
    {
        foreach (Match match in UrlWithPassword().Matches(text))
        {
            Register(Uri.UnescapeDataString(match.Groups["password"].Value));
        }
    }

    /// <summary><paramref name="text"/> with every registered value replaced by ***; longest first, so a secret containing another is masked whole.</summary>
    public string Apply(string text)
    {
        foreach (var secret in Secrets.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]+:(?<password>[^\s@/]+)@")]
    private static partial Regex UrlWithPassword();
}
