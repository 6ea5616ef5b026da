using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.AzureEmulator.Identity;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.Clients;

public sealed class AzureCredentialSourceTests
{
    private const string GitHubSubject = "repo:contoso/shop:environment:production";

    [Fact]
    public async Task A_client_secret_credential_gets_its_token_from_Entra_ID_and_ARM_accepts_it()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var source = AzureCredentialSource.Create(bed.SecretCredential(bed.Principal));

        var token = await source.Credential.GetTokenAsync(new TokenRequestContext([$"{bed.Emulator.Endpoint.GetLeftPart(UriPartial.Authority)}/.default"]), CancellationToken.None);

        Assert.IsType<ClientSecretCredential>(source.Credential);
        Assert.Equal(AzureCredentialKind.ClientSecret, source.Kind);
        Assert.Equal(3, token.Token.Split('.').Length);
        var grant = bed.Emulator.Directory.Grants[^1];
        Assert.Equal((bed.Principal.ClientId, "client_secret", true), (grant.ClientId, grant.Authentication, grant.Succeeded));
        Assert.DoesNotContain(bed.Principal.Secret!, source.Description);
        Assert.Contains(bed.Principal.ClientId, source.Description);
    }

    [Fact]
    public async Task A_wrong_secret_is_one_message_with_Entra_IDs_reason_and_no_secret()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var options = bed.SecretCredential(bed.Principal) with { ClientSecret = "not-the-secret" };
        var clients = new ArmClients(bed.ClientOptions(), AzureCredentialSource.Create(options), bed.Time);

        var error = await Assert.ThrowsAsync<AzureCredentialException>(() => clients.WebApps.GetSiteAsync(bed.SiteId));

        Assert.Equal("AADSTS7000215", error.EntraErrorCode);
        Assert.Contains("Invalid client secret", error.Message);
        Assert.Contains("WebApps_Get", error.Message);
        Assert.DoesNotContain("not-the-secret", error.Message);
        Assert.DoesNotContain("\n", error.Message);
        Assert.DoesNotContain(bed.Emulator.Requests, r => r.OperationId == "WebApps_Get");
    }

    [Theory]
    [InlineData(EmulatedDirectory.GitHubActionsIssuer, GitHubSubject)]
    // Azure DevOps service connections: issuer https://vstoken.dev.azure.com/{organization id}, subject sc://{org}/{project}/{connection}.
    [InlineData("https://vstoken.dev.azure.com/2f1c6e2a-0000-4000-8000-00000000ad0e", "sc://contoso/shop/azure-prod")]
    public async Task A_federated_CI_token_is_exchanged_through_a_client_assertion_credential(string issuer, string subject)
    {
        await using var bed = await AzureTestBed.StartAsync();
        var app = bed.Emulator.Directory.AddApplication();
        bed.Emulator.Roles.Assign(app.ClientId, EmulatedRole.Contributor, AzureTestBed.SubscriptionScope);
        bed.Emulator.Directory.AddFederatedCredential(app.ClientId, issuer, subject);
        var calls = 0;
        var source = AzureCredentialSource.Create(new AzureCredentialOptions
        {
            TenantId = bed.Emulator.TenantId,
            ClientId = app.ClientId,
            ClientAssertion = _ =>
            {
                calls++;
                return ValueTask.FromResult(bed.Emulator.Directory.IssueExternalToken(issuer, subject, AzureCredentialOptions.FederatedTokenAudience));
            },
            AuthorityHost = bed.Emulator.Endpoint,
            Transport = bed.EntraTransport(),
        });
        var clients = new ArmClients(bed.ClientOptions(), source, bed.Time);

        var site = await clients.WebApps.GetSiteAsync(bed.SiteId);

        Assert.IsType<ClientAssertionCredential>(source.Credential);
        Assert.Equal("shop-api", site.Name);
        Assert.Equal(1, calls);
        var grant = Assert.Single(bed.Emulator.Directory.Grants, g => g.ClientId == app.ClientId);
        Assert.Equal(("client_assertion", true), (grant.Authentication, grant.Succeeded));
        Assert.Equal(app.ClientId, bed.Emulator.Requests.Single(r => r.OperationId == "WebApps_Get").ClientId);
    }

    [Theory]
    [InlineData("api://SomethingElse", GitHubSubject, "AADSTS700212")]
    [InlineData(AzureCredentialOptions.FederatedTokenAudience, "repo:contoso/shop:ref:refs/heads/feature", "AADSTS700213")]
    public async Task A_federated_token_for_another_audience_or_subject_is_refused_with_Entra_IDs_code(string audience, string subject, string code)
    {
        await using var bed = await AzureTestBed.StartAsync();
        var app = bed.Emulator.Directory.AddApplication();
        bed.Emulator.Directory.AddFederatedCredential(app.ClientId, EmulatedDirectory.GitHubActionsIssuer, GitHubSubject);
        var source = AzureCredentialSource.Create(new AzureCredentialOptions
        {
            TenantId = bed.Emulator.TenantId,
            ClientId = app.ClientId,
            ClientAssertion = _ => ValueTask.FromResult(bed.Emulator.Directory.IssueExternalToken(EmulatedDirectory.GitHubActionsIssuer, subject, audience)),
            AuthorityHost = bed.Emulator.Endpoint,
            Transport = bed.EntraTransport(),
        });
        var clients = new ArmClients(bed.ClientOptions(), source, bed.Time);

        var error = await Assert.ThrowsAsync<AzureCredentialException>(() => clients.WebApps.GetSiteAsync(bed.SiteId));

        Assert.Equal(code, error.EntraErrorCode);
        Assert.Contains("federated", error.Message);
    }

    [Fact]
    public async Task An_assertion_that_is_not_a_JWT_is_refused()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var app = bed.Emulator.Directory.AddApplication();
        var source = AzureCredentialSource.Create(new AzureCredentialOptions
        {
            TenantId = bed.Emulator.TenantId,
            ClientId = app.ClientId,
            ClientAssertion = _ => ValueTask.FromResult("not-a-jwt"),
            AuthorityHost = bed.Emulator.Endpoint,
            Transport = bed.EntraTransport(),
        });

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(async () =>
            await source.Credential.GetTokenAsync(new TokenRequestContext(["https://management.azure.com/.default"]), CancellationToken.None));

        Assert.Contains("AADSTS50027", error.InnerException!.Message);
    }

    [Fact]
    public void Instance_discovery_is_skipped_for_authority_hosts_that_are_no_known_cloud()
    {
        Assert.True(new AzureCredentialOptions { AuthorityHost = new Uri("https://127.0.0.1:5001/") }.SkipsInstanceDiscovery);
        Assert.True(new AzureCredentialOptions { AuthorityHost = new Uri("https://login.azurestack.contoso.com/") }.SkipsInstanceDiscovery);
        Assert.False(new AzureCredentialOptions { AuthorityHost = AzureAuthorityHosts.AzureChina }.SkipsInstanceDiscovery);
        Assert.False(new AzureCredentialOptions().SkipsInstanceDiscovery);
        Assert.True(new AzureCredentialOptions { DisableInstanceDiscovery = true }.SkipsInstanceDiscovery);
    }

    [Fact]
    public async Task An_unknown_tenant_is_AADSTS90002()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var options = bed.SecretCredential(bed.Principal) with { TenantId = "00000000-0000-4000-8000-000000000bad" };
        var clients = new ArmClients(bed.ClientOptions(), AzureCredentialSource.Create(options), bed.Time);

        var error = await Assert.ThrowsAsync<AzureCredentialException>(() => clients.WebApps.GetSiteAsync(bed.SiteId));

        Assert.Equal("AADSTS90002", error.EntraErrorCode);
    }

    [Fact]
    public void No_secret_and_no_assertion_is_the_default_chain()
    {
        var source = AzureCredentialSource.Create(new AzureCredentialOptions());

        Assert.IsType<DefaultAzureCredential>(source.Credential);
        Assert.Equal("default Azure credential chain", source.Description);
    }

    [Theory]
    [InlineData(null, "11111111-1111-4111-8111-111111111111", "s", "TenantId")]
    [InlineData("contoso.onmicrosoft.com", null, "s", "ClientId")]
    [InlineData("contoso.onmicrosoft.com", "my-app", "s", "ClientId")]
    [InlineData("not a tenant!", "11111111-1111-4111-8111-111111111111", "s", "TenantId")]
    [InlineData("contoso.onmicrosoft.com", "11111111-1111-4111-8111-111111111111", "", "ClientSecret")]
    public void Incomplete_options_name_the_field_to_fix(string? tenant, string? client, string secret, string field)
    {
        var options = new AzureCredentialOptions { TenantId = tenant, ClientId = client, ClientSecret = secret };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void A_secret_and_an_assertion_together_are_refused()
    {
        var options = new AzureCredentialOptions
        {
            TenantId = "contoso.onmicrosoft.com",
            ClientId = "11111111-1111-4111-8111-111111111111",
            ClientSecret = "s",
            ClientAssertion = _ => ValueTask.FromResult("t"),
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("not both", error.Message);
    }
}
