using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>Credential values planted in a test so that everything it produces can be searched for them.</summary>
internal static class Planted
{
    public const string AccessKeyId = "AKIAPLANTED0EXAMPLE7";

    /// <summary>40 characters with the '/' and '+' real secret keys have.</summary>
    public const string SecretKey = "pl4nted/Secret+Key0123456789abcdefghijkl";

    /// <summary>Shaped like an STS session token: base64 with '+', '/' and padding.</summary>
    public const string SessionToken = "IQoJb3JpZ2luX2VjEPLANTED//////////wEaCWV1LXdlc3QtMSJHMEUCIQD+session+token==";

    public static AwsCredentialsSource Credentials() => AwsCredentialsSource.FromKeys(AccessKeyId, SecretKey, SessionToken, description: "the planted keys");

    /// <summary>Fails naming the first text that holds a planted value in full (the key id may appear shortened, as AKIA…PLE7).</summary>
    public static void AssertNoneIn(params string?[] texts)
    {
        foreach (var text in texts)
        {
            foreach (var value in new[] { AccessKeyId, SecretKey, SessionToken, Uri.EscapeDataString(SecretKey), Uri.EscapeDataString(SessionToken) })
            {
                Assert.False(text?.Contains(value, StringComparison.Ordinal) ?? false, $"a planted credential value is in: {text}");
            }
        }
    }
}
