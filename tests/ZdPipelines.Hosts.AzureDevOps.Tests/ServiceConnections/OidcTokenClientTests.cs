using ZdPipelines.Hosts.AzureDevOps.Logging;
using ZdPipelines.Hosts.AzureDevOps.ServiceConnections;
using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.ServiceConnections;

/// <summary>Against a local stand-in for Azure DevOps' OIDC token endpoint (Support/OidcServer.cs).</summary>
public sealed class OidcTokenClientTests : IDisposable
{
    private const string AccessToken = "job-access-token";
    private const string ConnectionId = "5e1e2c7a-8d1b-4c4f-9a51-2f0d3b6e7a90";
    private const string IdToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYyJ9.c2ln";

    private readonly StringWriter _log = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _log.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task The_id_token_is_posted_for_with_the_job_token_and_registered_as_a_secret()
    {
        await using var server = await OidcServer.StartAsync(AccessToken, ConnectionId, IdToken);
        var masker = new SecretMasker(new LoggingCommandWriter(_log));
        var client = OidcTokenClient.FromEnvironment(new Agent().SystemVssConnection(AccessToken, server.RequestUri).Environment(), _http, masker);

        var token = await client.RequestIdTokenAsync(ConnectionId, CancellationToken.None);

        Assert.Equal(IdToken, token);
        var request = Assert.Single(server.Requests);
        Assert.StartsWith("POST /example/", request);
        Assert.EndsWith($"/oidctoken?api-version=7.1&serviceConnectionId={ConnectionId}", request);
        Assert.Equal([AccessToken, IdToken], LoggedCommand.Parse(_log.ToString()).Where(c => c.Name == "task.setsecret").Select(c => c.Data));
    }

    [Fact]
    public async Task A_request_uri_that_already_has_a_query_gets_the_parameters_appended()
    {
        await using var server = await OidcServer.StartAsync(AccessToken, ConnectionId, IdToken);
        var client = new OidcTokenClient(_http, new Uri(server.RequestUri + "?x=1"), AccessToken, new SecretMasker(new LoggingCommandWriter(_log)));
        Assert.Equal(IdToken, await client.RequestIdTokenAsync(ConnectionId, CancellationToken.None));
        Assert.EndsWith($"?x=1&api-version=7.1&serviceConnectionId={ConnectionId}", Assert.Single(server.Requests));
    }

    [Fact]
    public async Task A_refused_access_token_says_so_without_the_token()
    {
        await using var server = await OidcServer.StartAsync(AccessToken, ConnectionId, IdToken);
        var client = new OidcTokenClient(_http, new Uri(server.RequestUri), "stale-token", new SecretMasker(new LoggingCommandWriter(_log)));
        var problem = await Assert.ThrowsAsync<ServiceConnectionException>(() => client.RequestIdTokenAsync(ConnectionId, CancellationToken.None));
        Assert.Equal($"Azure DevOps refused the job's access token when asked for an ID token for service connection {ConnectionId} (HTTP 401); check that the pipeline is allowed to use this service connection.", problem.Message);
        Assert.DoesNotContain("stale-token", problem.Message);
    }

    [Fact]
    public async Task An_unknown_service_connection_is_named()
    {
        await using var server = await OidcServer.StartAsync(AccessToken, ConnectionId, IdToken);
        var client = new OidcTokenClient(_http, new Uri(server.RequestUri), AccessToken, new SecretMasker(new LoggingCommandWriter(_log)));
        var problem = await Assert.ThrowsAsync<ServiceConnectionException>(() => client.RequestIdTokenAsync("0f0f0f0f-0000-4000-8000-000000000000", CancellationToken.None));
        Assert.StartsWith("Azure DevOps has no ID token for service connection 0f0f0f0f-0000-4000-8000-000000000000 (HTTP 404)", problem.Message);
    }

    [Fact]
    public void Without_the_request_uri_or_the_job_token_no_client_is_made_and_the_message_says_why()
    {
        var masker = new SecretMasker(new LoggingCommandWriter(_log));
        var noUri = Assert.Throws<ServiceConnectionException>(() => OidcTokenClient.FromEnvironment(new Agent().SystemVssConnection(AccessToken, null).Environment(), _http, masker));
        Assert.StartsWith("System.OidcRequestUri is not set", noUri.Message);
        var noToken = Assert.Throws<ServiceConnectionException>(() => OidcTokenClient.FromEnvironment(new Agent().Variable("System.OidcRequestUri", "https://dev.azure.com/x/oidctoken").Environment(), _http, masker));
        Assert.StartsWith("the job's access token (SystemVssConnection) was not passed", noToken.Message);
    }
}
