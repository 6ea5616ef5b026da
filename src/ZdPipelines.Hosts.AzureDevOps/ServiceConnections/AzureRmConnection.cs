using ZdPipelines.Hosts.AzureDevOps.Logging;

namespace ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

/// <summary>How zdp proves it is the connection's service principal to Entra ID.</summary>
internal abstract record AzureClientCredential
{
    private AzureClientCredential()
    {
    }

    /// <summary>
    /// Workload identity federation: an Azure DevOps ID token, exchanged as a client assertion
    /// (client_assertion_type urn:ietf:params:oauth:client-assertion-type:jwt-bearer). Called for every exchange,
    /// since the tokens are short-lived.
    /// </summary>
    public sealed record FederatedIdToken(Func<CancellationToken, Task<string>> RequestIdToken) : AzureClientCredential
    {
        public override string ToString() => "workload identity federation (Azure DevOps ID token)";
    }

    /// <summary>A client secret stored in the service connection.</summary>
    public sealed record ClientSecret(string Secret) : AzureClientCredential
    {
        // Records print every property; this one must never reach a log.
        public override string ToString() => $"client secret ({SecretMasker.Mask})";
    }
}

/// <summary>An Azure Resource Manager service connection, read; nothing has been called yet.</summary>
/// <param name="AuthorityHost">Entra ID's sign-in address for the connection's cloud (data environmentAuthorityUrl).</param>
/// <param name="ResourceManagerUrl">ARM for the connection's cloud (the connection's URL).</param>
internal sealed record AzureRmConnection(
    string ConnectionId,
    string TenantId,
    string ClientId,
    string? SubscriptionId,
    Uri AuthorityHost,
    Uri ResourceManagerUrl,
    AzureClientCredential Credential)
{
    /// <summary>Azure's public cloud, for connections that do not name another.</summary>
    public static readonly Uri PublicCloudAuthority = new("https://login.microsoftonline.com/");

    public static readonly Uri PublicCloudResourceManager = new("https://management.azure.com/");

    /// <summary>
    /// Reads connection <paramref name="connectionId"/>: scheme WorkloadIdentityFederation or ServicePrincipal with a
    /// secret (auth parameters serviceprincipalid, tenantid, serviceprincipalkey; data SubscriptionId), the names the
    /// AzureRM tasks of microsoft/azure-pipelines-tasks read. The secret is registered with <paramref name="masker"/>.
    /// </summary>
    public static AzureRmConnection Read(TaskEnvironment environment, string connectionId, Func<OidcTokenClient> oidc, SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(oidc);
        ArgumentNullException.ThrowIfNull(masker);
        var endpoint = ServiceEndpoint.Find(environment, connectionId)
            ?? throw new ServiceConnectionException(
                $"the agent passed no service connection {connectionId}; check the azureSubscription input names an Azure Resource Manager service connection this pipeline may use.");

        var tenant = Require(endpoint, endpoint.AuthParameter("tenantid"), "tenant id (tenantid)");
        var client = Require(endpoint, endpoint.AuthParameter("serviceprincipalid"), "service principal id (serviceprincipalid)");
        var subscription = endpoint.Data("SubscriptionId");
        var authority = ParseUrl(endpoint.Data("environmentAuthorityUrl")) ?? PublicCloudAuthority;
        var resourceManager = ParseUrl(endpoint.Url) ?? PublicCloudResourceManager;

        AzureClientCredential credential = endpoint.Scheme switch
        {
            "WorkloadIdentityFederation" => FederatedToken(connectionId, oidc),
            "ServicePrincipal" when IsCertificate(endpoint) => throw new ServiceConnectionException(
                $"service connection {connectionId} authenticates with a certificate, which zdp does not support; use workload identity federation (recommended) or a secret."),
            "ServicePrincipal" => new AzureClientCredential.ClientSecret(Registered(masker, Require(endpoint, endpoint.AuthParameter("serviceprincipalkey"), "service principal key (serviceprincipalkey)"))),
            var other => throw new ServiceConnectionException(
                $"service connection {connectionId} uses the {other ?? "(none)"} scheme; zdp supports WorkloadIdentityFederation (recommended) and ServicePrincipal with a secret."),
        };

        return new AzureRmConnection(connectionId, tenant, client, subscription, authority, resourceManager, credential);
    }

    private static AzureClientCredential.FederatedIdToken FederatedToken(string connectionId, Func<OidcTokenClient> oidc)
    {
        // The client is made on first use, so a connection read for `plan` asks Azure DevOps for nothing.
        var client = new Lazy<OidcTokenClient>(oidc);
        return new AzureClientCredential.FederatedIdToken(cancellationToken => client.Value.RequestIdTokenAsync(connectionId, cancellationToken));
    }

    private static bool IsCertificate(ServiceEndpoint endpoint) =>
        string.Equals(endpoint.AuthParameter("authenticationType"), "spnCertificate", StringComparison.OrdinalIgnoreCase);

    private static string Registered(SecretMasker masker, string secret)
    {
        masker.Register(secret);
        return secret;
    }

    private static string Require(ServiceEndpoint endpoint, string? value, string what) =>
        value ?? throw new ServiceConnectionException(
            $"service connection {endpoint.Id} has no {what}; edit the connection in Project settings > Service connections, or create it again.");

    private static Uri? ParseUrl(string? value) =>
        value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
}
