using System.Text.RegularExpressions;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// How zdp signs in to Entra ID. Plain values: which of them are set picks the credential
/// (<see cref="AzureCredentialSource.Create"/>). Where a federated token comes from (GitHub Actions, an Azure DevOps service
/// connection) is the CI host's business: it passes <see cref="ClientAssertion"/>.
/// </summary>
internal sealed partial record AzureCredentialOptions
{
    /// <summary>The Entra ID tenant (directory) id or a verified domain; required for a client secret or assertion.</summary>
    public string? TenantId { get; init; }

    /// <summary>The application (client) id of the app registration or user-assigned managed identity.</summary>
    public string? ClientId { get; init; }

    /// <summary>A client secret of the app registration. Never logged; take it from a CI secret, never from the spec.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>
    /// Returns a fresh OIDC token from an identity provider the app registration trusts through a federated credential
    /// (workload identity federation): a GitHub Actions token requested with audience <see cref="FederatedTokenAudience"/>,
    /// or an Azure DevOps service connection's OIDC token. Called again whenever Entra ID needs a new assertion.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? ClientAssertion { get; init; }

    /// <summary>
    /// The Entra ID host; null is the public cloud. For a sovereign cloud use <see cref="AzureAuthorityHosts"/>
    /// (<c>AzureChina</c>, <c>AzureGovernment</c>); tests use the emulator's.
    /// </summary>
    public Uri? AuthorityHost { get; init; }

    /// <summary>
    /// Skips MSAL's instance discovery, a call to the public cloud's <c>login.microsoftonline.com/common/discovery/instance</c>
    /// that validates the authority. It is skipped anyway for an <see cref="AuthorityHost"/> that is none of the clouds
    /// Azure.Identity names (Azure Stack, an emulator), where that call cannot succeed (see <see cref="SkipsInstanceDiscovery"/>).
    /// </summary>
    public bool DisableInstanceDiscovery { get; init; }

    /// <summary>Whether the credential skips instance discovery: when asked to, or when the authority host is not a known cloud.</summary>
    public bool SkipsInstanceDiscovery =>
        DisableInstanceDiscovery
        || (AuthorityHost is { } host && !KnownAuthorityHosts.Any(known => Uri.Compare(known, host, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0));

    private static readonly Uri[] KnownAuthorityHosts = [AzureAuthorityHosts.AzurePublicCloud, AzureAuthorityHosts.AzureChina, AzureAuthorityHosts.AzureGovernment];

    /// <summary>The HTTP transport for Entra ID; null is Azure.Core's default. Tests pass one that trusts the emulator.</summary>
    public HttpPipelineTransport? Transport { get; init; }

    /// <summary>The audience GitHub and Entra ID agree on for federated tokens (Entra ID's default for a federated credential).</summary>
    public const string FederatedTokenAudience = "api://AzureADTokenExchange";

    /// <summary>Which credential these options make.</summary>
    public AzureCredentialKind Kind =>
        ClientAssertion is not null ? AzureCredentialKind.ClientAssertion
        : ClientSecret is not null ? AzureCredentialKind.ClientSecret
        : AzureCredentialKind.DefaultChain;

    /// <summary>Throws <see cref="ArgumentException"/> naming the field and the fix.</summary>
    public void Validate()
    {
        if (ClientSecret is not null && ClientAssertion is not null)
        {
            throw new ArgumentException("set either a client secret or a client assertion (federated token), not both.", nameof(ClientSecret));
        }

        if (TenantId is { } tenant && !TenantPattern().IsMatch(tenant))
        {
            throw new ArgumentException(
                $"tenant '{tenant}' is neither a directory id (a GUID) nor a domain name such as contoso.onmicrosoft.com.", nameof(TenantId));
        }

        if (Kind != AzureCredentialKind.DefaultChain)
        {
            if (string.IsNullOrWhiteSpace(TenantId))
            {
                throw new ArgumentException(
                    $"a {Describe(Kind)} needs the tenant id: set it to the Entra ID directory id of the app registration.", nameof(TenantId));
            }

            if (string.IsNullOrWhiteSpace(ClientId))
            {
                throw new ArgumentException(
                    $"a {Describe(Kind)} needs the client id: set it to the application (client) id of the app registration.", nameof(ClientId));
            }

            if (ClientSecret is { Length: 0 })
            {
                throw new ArgumentException("the client secret is empty: check that the CI secret holding it is set and passed.", nameof(ClientSecret));
            }
        }

        if (ClientId is { } client && !Guid.TryParse(client, out _))
        {
            throw new ArgumentException($"client id '{client}' is not a GUID: use the application (client) id, not the app's display name.", nameof(ClientId));
        }

        if (AuthorityHost is { } host && (!host.IsAbsoluteUri || host.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"authority host '{host}' must be an absolute https:// URL such as {AzureAuthorityHosts.AzurePublicCloud}.", nameof(AuthorityHost));
        }
    }

    internal static string Describe(AzureCredentialKind kind) => kind switch
    {
        AzureCredentialKind.ClientSecret => "client secret credential",
        AzureCredentialKind.ClientAssertion => "federated credential (client assertion)",
        _ => "default Azure credential chain",
    };

    // Directory ids are GUIDs; tenants may also be named by a verified domain (Entra ID accepts either in the authority URL).
    [GeneratedRegex("^([0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+)$")]
    private static partial Regex TenantPattern();
}

/// <summary>Which Azure.Identity credential <see cref="AzureCredentialSource"/> makes.</summary>
internal enum AzureCredentialKind
{
    /// <summary><c>DefaultAzureCredential</c>: environment, workload identity, managed identity, Azure CLI, … (non-interactive links only).</summary>
    DefaultChain,

    /// <summary><c>ClientSecretCredential</c>.</summary>
    ClientSecret,

    /// <summary><c>ClientAssertionCredential</c>: workload identity federation with an OIDC token from the CI host.</summary>
    ClientAssertion,
}
