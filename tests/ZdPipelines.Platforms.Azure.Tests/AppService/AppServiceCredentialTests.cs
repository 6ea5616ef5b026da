using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.AzureEmulator.Identity;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

/// <summary>
/// The credentials block opened as zdp opens it, with the real Azure.Identity classes against the emulated Entra ID: a
/// client secret from an environment variable, and workload identity federation with the CI host's OIDC token.
/// </summary>
public sealed class AppServiceCredentialTests
{
    private const string BlueGreen = """
        strategy:
          blueGreen: { bake: 0s }

        """;

    public static TheoryData<string, string> Federations => new()
    {
        // A GitHub Actions job in an environment, and an Azure DevOps service connection (issuer and subject as it shows them).
        { EmulatedDirectory.GitHubActionsIssuer, "repo:contoso/shop:environment:production" },
        { "https://vstoken.dev.azure.com/2c6e1d5a-0000-4000-8000-00000000ad0e", "sc://contoso/shop/azure-production" },
    };

    [Theory]
    [MemberData(nameof(Federations))]
    public async Task Workload_identity_signs_in_with_the_hosts_oidc_token_as_a_client_assertion_and_registers_it_as_a_secret(string issuer, string subject)
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var app = bed.Emulator.Directory.AddApplication();
        bed.Emulator.Roles.Assign(app.ClientId, EmulatedRole.Reader, AzureTestBed.SubscriptionScope);
        bed.Emulator.Directory.AddFederatedCredential(app.ClientId, issuer, subject);
        var tokens = new HostTokens(audience => bed.Emulator.Directory.IssueExternalToken(issuer, subject, audience));
        var secrets = new List<string>();
        var spec = bed.Spec(BlueGreen, platform: $"app: shop-api\n    credentials: {{ tenantId: {bed.Emulator.TenantId}, clientId: {app.ClientId}, workloadIdentity: true }}");

        using var platform = Connect(bed, new PlatformOpening(spec, PlatformUse.Inspect, bed.Bed.Time) { IdTokens = tokens, RegisterSecret = secrets.Add }, _ => null);
        await bed.Bed.DriveAsync(platform.VerifyAsync(PlatformUse.Inspect, CancellationToken.None));

        Assert.Equal(["api://AzureADTokenExchange"], tokens.Audiences);
        Assert.Equal(tokens.Issued, secrets);
        Assert.Contains(bed.Emulator.Directory.Grants, g => g.ClientId == app.ClientId && g.Succeeded && g.Authentication.Contains("assertion", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_client_secret_comes_from_the_environment_variable_the_spec_names_and_is_registered_as_a_secret()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var secrets = new List<string>();
        var spec = bed.Spec(BlueGreen, platform: $"app: shop-api\n    credentials: {{ tenantId: {bed.Emulator.TenantId}, clientId: {bed.Bed.Principal.ClientId}, clientSecretVariable: SHOP_DEPLOY_SECRET }}");
        string? Environment(string name) => name == "SHOP_DEPLOY_SECRET" ? bed.Bed.Principal.Secret : null;

        using var platform = Connect(bed, new PlatformOpening(spec, PlatformUse.Inspect, bed.Bed.Time) { RegisterSecret = secrets.Add }, Environment);
        await bed.Bed.DriveAsync(platform.VerifyAsync(PlatformUse.Inspect, CancellationToken.None));

        Assert.Equal([bed.Bed.Principal.Secret!], secrets);
    }

    [Fact]
    public async Task An_unset_secret_variable_or_a_run_without_oidc_tokens_is_one_message_before_any_call()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var secret = bed.Spec(BlueGreen, platform: $"app: shop-api\n    credentials: {{ tenantId: {bed.Emulator.TenantId}, clientId: {bed.Bed.Principal.ClientId}, clientSecretVariable: SHOP_DEPLOY_SECRET }}");
        var federated = bed.Spec(BlueGreen, platform: $"app: shop-api\n    credentials: {{ tenantId: {bed.Emulator.TenantId}, clientId: {bed.Bed.Principal.ClientId}, workloadIdentity: true }}");

        var unset = Assert.Throws<PlatformException>(() => Connect(bed, new PlatformOpening(secret, PlatformUse.Change, bed.Bed.Time), _ => null));
        var noTokens = Assert.Throws<PlatformException>(() => Connect(bed, new PlatformOpening(federated, PlatformUse.Change, bed.Bed.Time), _ => null));

        Assert.Contains("environment variable SHOP_DEPLOY_SECRET (platform.azureAppService.credentials.clientSecretVariable) is not set", unset.Message, StringComparison.Ordinal);
        Assert.Contains("id-token: write", noTokens.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Bed.ArmRequests);
    }

    [Fact]
    public async Task A_token_entra_id_does_not_trust_is_one_message_with_its_reason()
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        var app = bed.Emulator.Directory.AddApplication();
        bed.Emulator.Directory.AddFederatedCredential(app.ClientId, EmulatedDirectory.GitHubActionsIssuer, "repo:contoso/shop:environment:production");
        // The job runs on a branch, not in the environment the federated credential names.
        var tokens = new HostTokens(audience => bed.Emulator.Directory.IssueExternalToken(EmulatedDirectory.GitHubActionsIssuer, "repo:contoso/shop:ref:refs/heads/main", audience));
        var spec = bed.Spec(BlueGreen, platform: $"app: shop-api\n    credentials: {{ tenantId: {bed.Emulator.TenantId}, clientId: {app.ClientId}, workloadIdentity: true }}");

        using var platform = Connect(bed, new PlatformOpening(spec, PlatformUse.Inspect, bed.Bed.Time) { IdTokens = tokens }, _ => null);
        var error = await Assert.ThrowsAsync<PlatformException>(() => bed.Bed.DriveAsync(platform.VerifyAsync(PlatformUse.Inspect, CancellationToken.None)));

        Assert.Contains("AADSTS700213", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    private static AppServicePlatform Connect(AppServiceTestBed bed, PlatformOpening opening, Func<string, string?> environment) =>
        AppServicePlatform.Connect(opening, new AppServiceConnection(environment, bed.Bed.ClientOptions().Transport, bed.Bed.EntraTransport(), bed.Bed.TrackedDataPlaneClient()));

    /// <summary>The CI host's token source: mints a token for the audience asked, and remembers what it was asked and gave.</summary>
    private sealed class HostTokens(Func<string, string> mint) : IIdTokenSource
    {
        public List<string> Audiences { get; } = [];

        public List<string> Issued { get; } = [];

        public string Name => "test host OIDC";

        public Task<string> GetTokenAsync(string audience, CancellationToken cancellationToken)
        {
            var token = mint(audience);
            lock (Issued)
            {
                Audiences.Add(audience);
                Issued.Add(token);
            }

            return Task.FromResult(token);
        }
    }
}
