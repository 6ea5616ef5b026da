using Amazon.Runtime;
using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

public sealed class QueryRequestSignerTests
{
    // The vectors below were made with botocore 1.43.11's SigV4Auth.add_auth (the signer of the AWS CLI on this
    // project's machines) for this body, these keys and this instant; any difference in the canonical request changes them.
    private const string Body =
        "Action=DescribeListeners&Version=2015-12-01&LoadBalancerArn=arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A123456789012%3Aloadbalancer%2Fapp%2Fmy-lb%2F50dc6c495c0c9188&PageSize=400";

    private static readonly DateTime SignedAt = new(2026, 11, 29, 19, 33, 5, DateTimeKind.Utc);

    [Fact]
    public void The_signature_matches_botocore_for_the_regional_endpoint()
    {
        var headers = Sign(new Uri("https://elasticloadbalancing.us-east-1.amazonaws.com/"), new ImmutableCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null));

        Assert.Equal("20261129T193305Z", headers["x-amz-date"]);
        Assert.Equal("elasticloadbalancing.us-east-1.amazonaws.com", headers["host"]);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/elasticloadbalancing/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=636a37853a5fe275d4fa7f72a35dea7a7109779a68452a958530fa4b59a4380f",
            headers["authorization"]);
    }

    [Fact]
    public void A_session_token_is_sent_and_signed_and_a_port_is_part_of_the_host()
    {
        var headers = Sign(new Uri("http://127.0.0.1:5000/"), new ImmutableCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "SESSIONTOKEN/with+chars="));

        Assert.Equal("127.0.0.1:5000", headers["host"]);
        Assert.Equal("SESSIONTOKEN/with+chars=", headers["x-amz-security-token"]);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/elasticloadbalancing/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=0b6c5379561266ad3219b4eb16801b918c4e3aa184736645a961e23e5f3235bc",
            headers["authorization"]);
    }

    private static Dictionary<string, string> Sign(Uri endpoint, ImmutableCredentials credentials) =>
        QueryRequestSigner.Sign(endpoint, System.Text.Encoding.UTF8.GetBytes(Body), credentials, "us-east-1", "elasticloadbalancing", SignedAt)
            .ToDictionary(h => h.Key, h => h.Value);
}
