using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ZdPipelines.AzureEmulator.Identity;

/// <summary>Compact JWS (RFC 7515) with ES256 (RFC 7518 §3.4): what the emulator's Entra ID and its external OIDC issuers sign.</summary>
internal static class Jwt
{
    public static string Sign(JsonObject claims, ECDsa key, string keyId)
    {
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = keyId };
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        // .NET signs ECDSA in IEEE P1363 form (r || s), which is what JWS ES256 expects.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    /// <summary>The header and claims of a compact JWS, or null when <paramref name="token"/> is not one.</summary>
    public static (JsonObject Header, JsonObject Claims, string SigningInput, byte[] Signature)? Parse(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var header = JsonNode.Parse(FromBase64Url(parts[0])) as JsonObject;
            var claims = JsonNode.Parse(FromBase64Url(parts[1])) as JsonObject;
            return header is null || claims is null ? null : (header, claims, $"{parts[0]}.{parts[1]}", FromBase64Url(parts[2]));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static bool Verify(string signingInput, byte[] signature, ECDsa key) =>
        key.VerifyData(Encoding.ASCII.GetBytes(signingInput), signature, HashAlgorithmName.SHA256);

    /// <summary>The <c>aud</c> claim, which RFC 7519 §4.1.3 allows as a string or an array of strings.</summary>
    public static IReadOnlyList<string> Audiences(JsonObject claims) => claims["aud"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var one) => [one],
        JsonArray many => many.Select(a => a?.GetValue<string>()).OfType<string>().ToList(),
        _ => [],
    };

    public static string? String(JsonObject claims, string name) => claims[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Number(JsonObject claims, string name) => claims[name] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        return Convert.FromBase64String(padded);
    }
}
