using System.Web;
using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

/// <summary>
/// Credentials sources against moto_server's STS, with a fault proxy in front of moto to see what each request carried.
/// These tests change process environment variables, so they live in the moto collection, which runs one test at a time.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, which xunit calls after each test.")]
public sealed class AwsCredentialsSourceTests(MotoServer moto) : MotoTest(moto), IAsyncLifetime
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/zdp-deploy";

    private static readonly string[] CredentialVariables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME", "AWS_ENDPOINT_URL_STS", "AWS_REGION",
    ];

    private readonly Dictionary<string, string?> _savedEnvironment = CredentialVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly string _directory = Directory.CreateTempSubdirectory("zdp-aws-credentials-").FullName;
    private FaultProxy _proxy = null!;

    protected override bool BuildsAlb => false;

    private string TokenFile => Path.Combine(_directory, "token");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _proxy = await FaultProxy.StartAsync(MotoServer.Endpoint);
        await File.WriteAllTextAsync(TokenFile, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9yZy93ZWIifQ.c2ln\n");
    }

    public override async Task DisposeAsync()
    {
        foreach (var (name, value) in _savedEnvironment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await _proxy.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Web_identity_credentials_from_STS_sign_the_ELBv2_call_with_their_session_token()
    {
        var source = AwsCredentialsSource.FromWebIdentity(WebIdentity());
        using var factory = Moto.Factory(_proxy.Endpoint, source);

        await factory.CreateElbV2Client().DescribeLoadBalancersAsync(new());
        var credentials = await source.GetCredentialsAsync(CancellationToken.None);

        var sts = Assert.Single(_proxy.Seen, r => r.Action == "AssumeRoleWithWebIdentity");
        var form = HttpUtility.ParseQueryString(sts.Body);
        Assert.Equal(RoleArn, form["RoleArn"]);
        Assert.Equal("zdp-test", form["RoleSessionName"]);
        Assert.Equal("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9yZy93ZWIifQ.c2ln", form["WebIdentityToken"]);
        Assert.False(sts.Headers.ContainsKey("Authorization"), "AssumeRoleWithWebIdentity is sent unsigned");

        var elb = Assert.Single(_proxy.Seen, r => r.Action == "DescribeLoadBalancers");
        Assert.StartsWith("ASIA", credentials.AccessKey);
        Assert.Contains($"Credential={credentials.AccessKey}/", elb.Headers["Authorization"]);
        Assert.Equal(credentials.Token, elb.Headers["X-Amz-Security-Token"]);
        Assert.Contains("x-amz-security-token", elb.Headers["Authorization"]);
        Assert.Equal($"web identity: role {RoleArn} assumed with the token in {TokenFile} (STS AssumeRoleWithWebIdentity at {_proxy.Endpoint})", source.Description);
    }

    [Fact]
    public async Task Credentials_are_exchanged_again_with_a_fresh_token_shortly_before_they_expire()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = AwsCredentialsSource.FromWebIdentity(WebIdentity(), time);

        var first = await source.GetCredentialsAsync(CancellationToken.None);
        var cached = await source.GetCredentialsAsync(CancellationToken.None);
        await File.WriteAllTextAsync(TokenFile, "rotated.token.value");

        // moto's sessions last an hour (its default DurationSeconds, as AWS's); 56 minutes in, less than 5 are left.
        time.Advance(TimeSpan.FromMinutes(56));
        var refreshed = await source.GetCredentialsAsync(CancellationToken.None);

        Assert.Same(first, cached);
        Assert.NotEqual(first.AccessKey, refreshed.AccessKey);
        var exchanges = _proxy.Seen.Where(r => r.Action == "AssumeRoleWithWebIdentity").ToList();
        Assert.Equal(2, exchanges.Count);
        Assert.Equal("rotated.token.value", HttpUtility.ParseQueryString(exchanges[1].Body)["WebIdentityToken"]);
    }

    [Fact]
    public async Task A_masker_is_told_the_token_and_the_credentials_of_every_exchange_including_refreshes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = AwsCredentialsSource.FromWebIdentity(WebIdentity(), time);
        var reported = new List<AwsSecretValue>();
        source.ReportSecretsTo(reported.Add);

        var first = await source.GetCredentialsAsync(CancellationToken.None);
        await File.WriteAllTextAsync(TokenFile, "rotated.token.value");
        time.Advance(TimeSpan.FromMinutes(56));
        var refreshed = await source.GetCredentialsAsync(CancellationToken.None);

        var values = reported.Select(r => r.Value).ToList();
        Assert.Equal(
            ["eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9yZy93ZWIifQ.c2ln", first.AccessKey, first.SecretKey, first.Token, "rotated.token.value", refreshed.AccessKey, refreshed.SecretKey, refreshed.Token],
            values);
        Assert.Equal($"{first.AccessKey[..4]}…{first.AccessKey[^4..]}", reported[1].Replacement);
        Assert.All(reported.Where((_, i) => i != 1 && i != 5), r => Assert.Equal("***", r.Replacement));
    }

    [Fact]
    public async Task A_token_given_as_text_is_exchanged_as_is()
    {
        var source = AwsCredentialsSource.FromWebIdentity(WebIdentity() with { TokenFile = null, Token = "github.oidc.jwt" });

        await source.GetCredentialsAsync(CancellationToken.None);

        Assert.Equal("github.oidc.jwt", HttpUtility.ParseQueryString(_proxy.Seen.Single().Body)["WebIdentityToken"]);
        Assert.Contains("assumed with the given token", source.Description);
    }

    [Fact]
    public async Task A_rejected_token_is_one_message_naming_the_role_and_the_token_file()
    {
        // AWSSDK.SecurityToken's client retries this code itself (3 attempts were seen here; botocore does not retry it),
        // so every attempt gets it.
        _proxy.Fail("AssumeRoleWithWebIdentity", 10, 400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider");
        var source = AwsCredentialsSource.FromWebIdentity(WebIdentity());

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => source.GetCredentialsAsync(CancellationToken.None));

        Assert.Equal("InvalidIdentityToken", error.Code);
        Assert.Equal("sts", error.Service);
        Assert.StartsWith($"STS AssumeRoleWithWebIdentity for role {RoleArn} with the token in {TokenFile} failed: InvalidIdentityToken:", error.Message);
        Assert.Contains("trust policy", error.Message);
    }

    [Fact]
    public async Task The_default_chain_takes_keys_from_the_environment_and_says_so()
    {
        ClearCredentialEnvironment();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT0001");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "environment-secret");
        var source = AwsCredentialsSource.FromDefaultChain();
        using var factory = Moto.Factory(_proxy.Endpoint, source);

        Assert.Equal("the default AWS credential chain (not resolved yet)", source.Description);
        await factory.CreateElbV2Client().DescribeTargetGroupsAsync(new());

        Assert.Equal("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (default chain)", source.Description);
        Assert.Contains("Credential=AKIAENVIRONMENT0001/", _proxy.Seen.Single().Headers["Authorization"]);
    }

    [Fact]
    public async Task The_default_chain_assumes_AWS_ROLE_ARN_with_AWS_WEB_IDENTITY_TOKEN_FILE()
    {
        ClearCredentialEnvironment();
        Environment.SetEnvironmentVariable("AWS_ROLE_ARN", RoleArn);
        Environment.SetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE", TokenFile);
        Environment.SetEnvironmentVariable("AWS_ROLE_SESSION_NAME", "zdp-chain");
        Environment.SetEnvironmentVariable("AWS_REGION", Moto.Region);

        // The SDK's own web-identity link builds its STS client from the environment: AWS_ENDPOINT_URL_STS sends it to moto.
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", _proxy.Endpoint.ToString());
        var source = AwsCredentialsSource.FromDefaultChain();
        using var factory = Moto.Factory(_proxy.Endpoint, source);

        await factory.CreateElbV2Client().DescribeLoadBalancersAsync(new());

        Assert.Equal(
            $"web identity: role {RoleArn} assumed with the token in {TokenFile} (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, default chain)",
            source.Description);
        Assert.Equal("zdp-chain", HttpUtility.ParseQueryString(_proxy.Seen.First(r => r.Action == "AssumeRoleWithWebIdentity").Body)["RoleSessionName"]);
        Assert.Contains("X-Amz-Security-Token", _proxy.Seen.Single(r => r.Action == "DescribeLoadBalancers").Headers.Keys, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Web_identity_options_reject_what_STS_would()
    {
        var valid = WebIdentity();

        Assert.Contains("exactly one", Assert.Throws<ArgumentException>(() => (valid with { Token = "abcd" }).Validate()).Message);
        Assert.Contains("exactly one", Assert.Throws<ArgumentException>(() => (valid with { TokenFile = null }).Validate()).Message);
        Assert.Contains("absolute path", Assert.Throws<ArgumentException>(() => (valid with { TokenFile = "token" }).Validate()).Message);
        Assert.Contains("session name", Assert.Throws<ArgumentException>(() => (valid with { RoleSessionName = "a b" }).Validate()).Message);
        Assert.Contains("Role ARN", Assert.Throws<ArgumentException>(() => (valid with { RoleArn = "zdp-deploy" }).Validate()).Message);
        Assert.Contains("DurationSeconds", Assert.Throws<ArgumentException>(() => (valid with { DurationSeconds = 60 }).Validate()).Message);
    }

    private WebIdentityCredentialsOptions WebIdentity() => new()
    {
        RoleArn = RoleArn,
        TokenFile = TokenFile,
        RoleSessionName = "zdp-test",
        Region = Moto.Region,
        StsEndpointUrl = _proxy.Endpoint,
    };

    private static void ClearCredentialEnvironment()
    {
        foreach (var name in CredentialVariables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
