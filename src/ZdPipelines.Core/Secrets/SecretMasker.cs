using System.Text.RegularExpressions;

namespace ZdPipelines.Core.Secrets;

/// <summary>
/// Every secret value this run knows (credentials, tokens), and what to print or store in their place. Hosts pass all
/// their output through <see cref="Mask"/>; the engine passes what it journals. Besides the registered values, the
/// password of any URL with credentials (<c>https://user:password@host</c>) is masked wherever it appears.
/// </summary>
public sealed partial class SecretMasker
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Replacement = "***";

    /// <summary>
    /// Shorter values are not masked: "testing" or "1" would blank out ordinary words and numbers; real keys, tokens and
    /// passwords are longer.
    /// </summary>
    public const int MinimumLength = 6;

    private readonly Lock _gate = new();
    private string[] _secrets = [];

    /// <summary>Told of each value registered, so a CI host can register it with the runner (GitHub's ::add-mask::).</summary>
    public event Action<string>? Registered;

    [GeneratedRegex(@"(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?<user>[^\s/:@]*):(?<password>[^\s/@]+)@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlCredentials();

    /// <summary>Registers a secret value (and its URL-encoded form); short or empty values are ignored.</summary>
    public void Add(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < MinimumLength)
        {
            return;
        }

        var forms = new[] { value, Uri.EscapeDataString(value) }.Distinct(StringComparer.Ordinal).ToArray();
        bool added;
        lock (_gate)
        {
            var next = _secrets.Union(forms, StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();
            added = next.Length != _secrets.Length;
            _secrets = next;
        }

        if (added)
        {
            Registered?.Invoke(value);
        }
    }

    /// <summary>The values registered so far, longest first.</summary>
    public IReadOnlyList<string> Secrets => Volatile.Read(ref _secrets);

    /// <summary>The text with every registered value and every URL password replaced by <see cref="Replacement"/>.</summary>
    public string Mask(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Longest first, so a secret that contains another is masked whole.
        foreach (var secret in Volatile.Read(ref _secrets))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Replacement, StringComparison.Ordinal);
            }
        }

        return text.Contains("://", StringComparison.Ordinal) ? UrlCredentials().Replace(text, m => $"{m.Groups["scheme"].Value}{m.Groups["user"].Value}:{Replacement}@") : text;
    }
}
