using ZdPipelines.Hosts.AzureDevOps.Logging;
using ZdPipelines.Hosts.AzureDevOps.ServiceConnections;
using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.ServiceConnections;

public sealed class AwsConnectionTests : IDisposable
{
    private const string Id = "0b8d6a4e-36a4-4bbd-9c83-7b7c0e4f1d2a";
    private const string Role = "arn:aws:iam::123456789012:role/deploy";

    private readonly StringWriter _log = new();

    public void Dispose() => _log.Dispose();

    private SecretMasker Masker => new(new LoggingCommandWriter(_log));

    private static Func<OidcTokenClient> NoOidc => () => throw new InvalidOperationException("no ID token expected");

    private AwsConnection Read(string scheme, Dictionary<string, string> parameters) =>
        AwsConnection.Read(new Agent().Endpoint(Id, scheme, parameters).Environment(), Id, NoOidc, Masker);

    [Fact]
    public void Access_keys_come_from_username_and_password_and_the_secrets_are_masked()
    {
        var connection = Read("UsernamePassword", new() { ["username"] = "AKIAIOSFODNN7EXAMPLE", ["password"] = "wJalrXUtnFEMI", ["sessionToken"] = "FwoGZXIvYXdz" });

        Assert.Equal(new AwsCredentials.AccessKeys("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "FwoGZXIvYXdz"), connection.Credentials);
        Assert.Equal(["wJalrXUtnFEMI", "FwoGZXIvYXdz"], LoggedCommand.Parse(_log.ToString()).Select(c => c.Data));
        Assert.DoesNotContain("wJalr", connection.ToString());
        Assert.DoesNotContain("FwoG", connection.ToString());
    }

    [Fact]
    public void Keys_with_a_role_assume_it_with_the_session_name_and_external_id()
    {
        var connection = Read("UsernamePassword", new() { ["username"] = "AKIA", ["password"] = "secret", ["assumeRoleArn"] = Role, ["roleSessionName"] = "ado", ["externalId"] = "x-1" });
        var assume = Assert.IsType<AwsCredentials.AssumeRole>(connection.Credentials);
        Assert.Equal((Role, "ado", "x-1", "AKIA"), (assume.RoleArn, assume.RoleSessionName, assume.ExternalId, assume.Source!.AccessKeyId));
    }

    [Fact]
    public void A_role_without_keys_is_assumed_with_the_agents_own_credentials()
    {
        var assume = Assert.IsType<AwsCredentials.AssumeRole>(Read("UsernamePassword", new() { ["assumeRoleArn"] = Role }).Credentials);
        Assert.Null(assume.Source);
    }

    [Fact]
    public void Only_one_of_the_two_keys_is_refused_as_the_toolkit_refuses_it()
    {
        var problem = Assert.Throws<ServiceConnectionException>(() => Read("UsernamePassword", new() { ["username"] = "AKIA" }));
        Assert.Equal($"service connection {Id}: define or omit both \"Access Key ID\" and \"Secret Access Key\", not just one.", problem.Message);
    }

    [Fact]
    public void No_connection_or_an_empty_one_means_the_agents_own_credentials()
    {
        Assert.IsType<AwsCredentials.AgentDefault>(AwsConnection.Read(new Agent().Environment(), null, NoOidc, Masker).Credentials);
        Assert.IsType<AwsCredentials.AgentDefault>(Read("UsernamePassword", []).Credentials);
    }

    [Fact]
    public async Task Oidc_mode_assumes_the_role_with_web_identity_and_an_azure_devops_id_token()
    {
        const string IdToken = "eyJ.aws.token";
        await using var server = await OidcServer.StartAsync("job-token", Id, IdToken);
        var environment = new Agent()
            .Endpoint(Id, "UsernamePassword", new Dictionary<string, string> { ["useOIDC"] = "true", ["assumeRoleArn"] = Role, ["roleSessionName"] = "ado" })
            .SystemVssConnection("job-token", server.RequestUri)
            .Environment();
        using var http = new HttpClient();
        var masker = Masker;

        var connection = AwsConnection.Read(environment, Id, () => OidcTokenClient.FromEnvironment(environment, http, masker), masker);

        var web = Assert.IsType<AwsCredentials.WebIdentity>(connection.Credentials);
        Assert.Equal((Role, "ado"), (web.RoleArn, web.RoleSessionName));
        Assert.Equal(IdToken, await web.RequestWebIdentityToken(CancellationToken.None));
    }

    [Fact]
    public void The_none_scheme_is_oidc_too_with_the_role_in_its_role_parameter()
    {
        var web = Assert.IsType<AwsCredentials.WebIdentity>(Read("None", new() { ["role"] = Role }).Credentials);
        Assert.Equal(Role, web.RoleArn);
    }

    [Fact]
    public void Oidc_without_a_role_says_which_field_to_fill()
    {
        var problem = Assert.Throws<ServiceConnectionException>(() => Read("UsernamePassword", new() { ["useOIDC"] = "true" }));
        Assert.Equal($"service connection {Id} uses OIDC but names no role to assume; set the role ARN (Role to Assume) in the connection.", problem.Message);
    }
}
