using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

public sealed class AwsErrorTextTests
{
    private const string Token = "IQoJb3JpZ2luX2VjEPlanted+Session/Token==";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY";
    private const string KeyId = "ASIAPLANTED0EXAMPLE7";

    private static readonly AwsSecretValue[] Secrets = [AwsSecretValue.AccessKeyId(KeyId), AwsSecretValue.Secret(Secret), AwsSecretValue.Secret(Token)];

    private const string FirstSentences =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    [Fact]
    public void A_signature_error_keeps_its_advice_and_loses_the_canonical_request_and_string_to_sign()
    {
        var message = FirstSentences + "\n\nThe Canonical String for this request should have been\n'POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\n"
            + $"host:elasticloadbalancing.eu-west-1.amazonaws.com\nx-amz-date:20260101T000000Z\nx-amz-security-token:{Token}\n\ncontent-type;host;x-amz-date;x-amz-security-token\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260101T000000Z\n"
            + "20260101/eu-west-1/elasticloadbalancing/aws4_request\n0f0e'\n";

        Assert.Equal(FirstSentences, AwsErrorText.Clean(message, Secrets));
    }

    [Fact]
    public void An_echo_already_run_into_one_line_is_cut_as_well()
    {
        var message = FirstSentences + $" The Canonical String for this request should have been 'POST / host:h x-amz-security-token:{Token} host;x-amz-security-token e3b0'";

        Assert.Equal(FirstSentences, AwsErrorText.Clean(message, []));
    }

    [Fact]
    public void Known_credential_values_anywhere_in_a_message_are_masked_the_key_id_partly()
    {
        var message = $"Key {KeyId} with secret {Secret} and token {Token} (in a form body: {Uri.EscapeDataString(Token)}) was refused.";

        var cleaned = AwsErrorText.Clean(message, Secrets);

        Assert.Equal("Key ASIA…PLE7 with secret *** and token *** (in a form body: ***) was refused.", cleaned);
    }

    [Fact]
    public void Placeholder_values_shorter_than_real_credentials_are_left_alone()
    {
        Assert.Equal("testing the listener", AwsErrorText.Clean("testing the listener", [AwsSecretValue.Secret("testing")]));
    }

    [Fact]
    public void A_message_is_one_line_of_bounded_length()
    {
        var cleaned = AwsErrorText.Clean("first line\nsecond   line\t" + new string('x', 2000), []);

        Assert.StartsWith("first line second line x", cleaned);
        Assert.DoesNotContain('\n', cleaned);
        Assert.True(cleaned.Length <= 501, cleaned.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
