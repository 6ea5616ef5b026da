using ZdPipelines.Hosts.AzureDevOps.Logging;
using ZdPipelines.Hosts.AzureDevOps.ServiceConnections;
using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.ServiceConnections;

public sealed class AzureRmConnectionTests : IDisposable
{
    private const string Id = "5e1e2c7a-8d1b-4c4f-9a51-2f0d3b6e7a90";
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string Client = "a1b2c3d4-e5f6-4711-8899-aabbccddeeff";
    private const string Subscription = "00000000-1111-4222-8333-444444444444";

    private readonly StringWriter _log = new();

    public void Dispose() => _log.Dispose();

    private SecretMasker Masker => new(new LoggingCommandWriter(_log));

    private static Func<OidcTokenClient> NoOidc => () => throw new InvalidOperationException("no ID token expected");

    [Fact]
    public async Task Workload_identity_federation_gives_tenant_client_subscription_and_an_id_token_from_azure_devops()
    {
        const string IdToken = "eyJ.ado.token";
        await using var server = await OidcServer.StartAsync("job-token", Id, IdToken);
        var environment = new Agent()
            .Endpoint(Id, "WorkloadIdentityFederation",
                new Dictionary<string, string> { ["serviceprincipalid"] = Client, ["tenantid"] = Tenant, ["workloadIdentityFederationSubject"] = "sc://org/shop/prod" },
                new Dictionary<string, string> { ["SubscriptionId"] = Subscription, ["environment"] = "AzureCloud", ["environmentAuthorityUrl"] = "https://login.windows.net/" },
                "https://management.azure.com/")
            .SystemVssConnection("job-token", server.RequestUri)
            .Environment();
        using var http = new HttpClient();
        var masker = Masker;

        var connection = AzureRmConnection.Read(environment, Id, () => OidcTokenClient.FromEnvironment(environment, http, masker), masker);

        Assert.Equal((Id, Tenant, Client, Subscription), (connection.ConnectionId, connection.TenantId, connection.ClientId, connection.SubscriptionId));
        Assert.Equal(new Uri("https://login.windows.net/"), connection.AuthorityHost);
        Assert.Equal(new Uri("https://management.azure.com/"), connection.ResourceManagerUrl);
        Assert.Empty(server.Requests);
        var federated = Assert.IsType<AzureClientCredential.FederatedIdToken>(connection.Credential);
        Assert.Equal(IdToken, await federated.RequestIdToken(CancellationToken.None));
        Assert.Single(server.Requests);
    }

    [Fact]
    public void A_service_principal_secret_is_masked_and_never_printed_by_the_record()
    {
        var environment = new Agent().Endpoint(Id, "ServicePrincipal",
            new Dictionary<string, string> { ["serviceprincipalid"] = Client, ["tenantid"] = Tenant, ["serviceprincipalkey"] = "p@ss;word", ["authenticationType"] = "spnKey" },
            new Dictionary<string, string> { ["SubscriptionId"] = Subscription }).Environment();

        var connection = AzureRmConnection.Read(environment, Id, NoOidc, Masker);

        Assert.Equal("p@ss;word", Assert.IsType<AzureClientCredential.ClientSecret>(connection.Credential).Secret);
        Assert.Equal(["p@ss;word", "p%40ss%3Bword"], LoggedCommand.Parse(_log.ToString()).Select(c => c.Data));
        Assert.DoesNotContain("p@ss", connection.ToString());
        Assert.Equal(AzureRmConnection.PublicCloudAuthority, connection.AuthorityHost);
    }

    [Fact]
    public void A_certificate_connection_is_refused_with_what_to_use_instead()
    {
        var environment = new Agent().Endpoint(Id, "ServicePrincipal",
            new Dictionary<string, string> { ["serviceprincipalid"] = Client, ["tenantid"] = Tenant, ["authenticationType"] = "spnCertificate", ["servicePrincipalCertificate"] = "-----BEGIN-----" }).Environment();
        var problem = Assert.Throws<ServiceConnectionException>(() => AzureRmConnection.Read(environment, Id, NoOidc, Masker));
        Assert.Equal($"service connection {Id} authenticates with a certificate, which zdp does not support; use workload identity federation (recommended) or a secret.", problem.Message);
    }

    [Theory]
    [InlineData("ManagedServiceIdentity")]
    [InlineData("PublishProfile")]
    public void Other_schemes_are_named_with_the_ones_supported(string scheme)
    {
        var environment = new Agent().Endpoint(Id, scheme, new Dictionary<string, string> { ["serviceprincipalid"] = Client, ["tenantid"] = Tenant }).Environment();
        var problem = Assert.Throws<ServiceConnectionException>(() => AzureRmConnection.Read(environment, Id, NoOidc, Masker));
        Assert.Equal($"service connection {Id} uses the {scheme} scheme; zdp supports WorkloadIdentityFederation (recommended) and ServicePrincipal with a secret.", problem.Message);
    }

    [Fact]
    public void A_missing_tenant_or_connection_is_one_message()
    {
        var noTenant = new Agent().Endpoint(Id, "WorkloadIdentityFederation", new Dictionary<string, string> { ["serviceprincipalid"] = Client }).Environment();
        Assert.StartsWith($"service connection {Id} has no tenant id (tenantid)", Assert.Throws<ServiceConnectionException>(() => AzureRmConnection.Read(noTenant, Id, NoOidc, Masker)).Message);
        Assert.StartsWith($"the agent passed no service connection {Id}", Assert.Throws<ServiceConnectionException>(() => AzureRmConnection.Read(new Agent().Environment(), Id, NoOidc, Masker)).Message);
    }
}
