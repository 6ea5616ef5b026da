using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// SigV4 for a Query request (<c>POST /</c>, form body). We build the canonical request; AWSSDK.Core's
/// <see cref="AWS4Signer.ComputeSignature(ImmutableCredentials, string, DateTime, string, string, string)"/> derives the key,
/// hashes and signs it, so no cryptography is written here.
/// </summary>
internal static class QueryRequestSigner
{
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    /// <summary>The headers to send, lower-case names in signing order, the Authorization header among them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(
        Uri endpoint, byte[] body, ImmutableCredentials credentials, string region, string service, DateTime signedAtUtc)
    {
        var amzDate = signedAtUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

        // Signed headers, sorted by name as the canonical form requires. botocore signs every header it sends except
        // user-agent and expect; the session token is added before signing (auth.py _modify_request_before_signing).
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = ContentType,
            ["host"] = HostHeader(endpoint),
            ["x-amz-date"] = amzDate,
        };
        if (credentials.UseToken)
        {
            headers["x-amz-security-token"] = credentials.Token;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = CanonicalRequest(endpoint, headers, signedHeaders, body);
        var result = AWS4Signer.ComputeSignature(credentials, region, signedAtUtc, service, signedHeaders, canonicalRequest);

        var all = headers.ToList();
        all.Add(new("authorization", result.ForAuthorizationHeader));
        return all;
    }

    /// <summary>
    /// botocore auth.py <c>SigV4Auth.canonical_request</c>: method, path, query (none), <c>name:value</c> lines,
    /// a blank line, the signed header names, and the hex SHA-256 of the body.
    /// </summary>
    internal static string CanonicalRequest(Uri endpoint, IReadOnlyDictionary<string, string> headers, string signedHeaders, byte[] body)
    {
        var path = endpoint.AbsolutePath.Length == 0 ? "/" : endpoint.AbsolutePath;
        var canonical = new StringBuilder()
            .Append("POST\n")
            .Append(path).Append('\n')
            .Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(Convert.ToHexStringLower(AWS4Signer.ComputeHash(body)));
        return canonical.ToString();
    }

    /// <summary>The Host header as HttpClient sends it and botocore signs it: the port only when it is not the scheme's default.</summary>
    internal static string HostHeader(Uri endpoint) =>
        endpoint.IsDefaultPort ? endpoint.IdnHost : $"{endpoint.IdnHost}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
}
