using System.Text;
using System.Text.RegularExpressions;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// A credential value the AWS clients hold, and what to print instead of it: the access key id shortened to its first
/// and last four characters (enough to tell keys apart, as the IAM console does), anything else as <c>***</c>.
/// </summary>
/// <param name="Value">The value as it would appear in text.</param>
/// <param name="Replacement">What a masker writes in its place.</param>
internal sealed record AwsSecretValue(string Value, string Replacement)
{
    /// <summary>
    /// Shorter values are not masked: AWS access key ids are 16 to 128 characters (IAM AccessKeyIdType), secret keys
    /// 40, session and web-identity tokens hundreds; a shorter value is a placeholder such as moto's "testing", and
    /// replacing every occurrence of it would blank ordinary words in messages.
    /// </summary>
    public const int MinimumLength = 8;

    public static AwsSecretValue AccessKeyId(string value) =>
        new(value, value.Length >= 16 ? $"{value[..4]}…{value[^4..]}" : "***");

    public static AwsSecretValue Secret(string value) => new(value, "***");
}

/// <summary>
/// What of an AWS error message may be shown: never the canonical request or string-to-sign that a signature error
/// echoes (with a session token, the canonical request holds <c>x-amz-security-token:&lt;token&gt;</c>), and no
/// credential value zdp knows.
/// </summary>
internal static partial class AwsErrorText
{
    /// <summary>Where SigV4 errors start echoing what was signed (SignatureDoesNotMatch, InvalidSignatureException; S3's StringToSign elements).</summary>
    [GeneratedRegex(@"canonical\s+string|canonical\s*request|string[\s-]*to[\s-]*sign", RegexOptions.IgnoreCase)]
    private static partial Regex SigningEcho();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>Messages are one line; an AWS message longer than this is not meant for a person.</summary>
    private const int MaxLength = 500;

    /// <summary>
    /// The message up to where it starts echoing signed material, on one line, at most <see cref="MaxLength"/>
    /// characters, with every known credential value replaced. "The request signature we calculated does not match
    /// the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service
    /// documentation for details." keeps its advice and loses the canonical request that followed it.
    /// </summary>
    public static string Clean(string? message, IEnumerable<AwsSecretValue> secrets)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        var text = message;
        if (SigningEcho().Match(text) is { Success: true } echo)
        {
            // From the start of the sentence that introduces the echo ("The Canonical String for this request …").
            var sentenceEnd = echo.Index > 0 ? text.LastIndexOfAny(['.', '\n'], echo.Index - 1) : -1;
            text = sentenceEnd >= 0 ? text[..(sentenceEnd + 1)] : text[..echo.Index];
        }

        text = Whitespace().Replace(Mask(text, secrets), " ").Trim();
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "…");
    }

    /// <summary>
    /// Every occurrence of every known credential value replaced, as it is and percent-encoded (session tokens hold
    /// <c>+ / =</c>, which an echoed query string or form body encodes), longest first: a token may contain a key id.
    /// </summary>
    public static string Mask(string text, IEnumerable<AwsSecretValue> secrets)
    {
        var masked = new StringBuilder(text);
        var forms = secrets.Where(s => s.Value.Length >= AwsSecretValue.MinimumLength)
            .SelectMany(s => new[] { (Text: s.Value, s.Replacement), (Text: Uri.EscapeDataString(s.Value), s.Replacement) })
            .DistinctBy(f => f.Text)
            .OrderByDescending(f => f.Text.Length);
        foreach (var (value, replacement) in forms)
        {
            masked.Replace(value, replacement);
        }

        return masked.ToString();
    }
}
