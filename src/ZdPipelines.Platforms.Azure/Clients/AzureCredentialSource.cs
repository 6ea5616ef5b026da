using Azure.Core;
using Azure.Identity;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// The Azure.Identity <see cref="TokenCredential"/> the ARM clients authenticate with, and a <see cref="Description"/> of it for
/// messages ("Entra ID refused the client secret credential for app …"). Nothing is requested until the first ARM call.
/// </summary>
internal sealed class AzureCredentialSource
{
    private AzureCredentialSource(TokenCredential credential, AzureCredentialKind kind, string description)
    {
        Credential = credential;
        Kind = kind;
        Description = description;
    }

    public TokenCredential Credential { get; }

    public AzureCredentialKind Kind { get; }

    /// <summary>Which credential, for which app in which tenant; never a secret.</summary>
    public string Description { get; }

    /// <summary>Makes the credential that <paramref name="options"/> describe (see <see cref="AzureCredentialOptions.Kind"/>).</summary>
    public static AzureCredentialSource Create(AzureCredentialOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var kind = options.Kind;
        var description = AzureCredentialOptions.Describe(kind) + (options.ClientId is { } id ? $" for app {id}" : "") + (options.TenantId is { } t ? $" in tenant {t}" : "");
        TokenCredential credential = kind switch
        {
            AzureCredentialKind.ClientSecret => new ClientSecretCredential(
                options.TenantId, options.ClientId, options.ClientSecret, Configure(new ClientSecretCredentialOptions { DisableInstanceDiscovery = options.SkipsInstanceDiscovery }, options)),
            AzureCredentialKind.ClientAssertion => new ClientAssertionCredential(
                options.TenantId, options.ClientId, AssertionCallback(options.ClientAssertion!),
                Configure(new ClientAssertionCredentialOptions { DisableInstanceDiscovery = options.SkipsInstanceDiscovery }, options)),
            _ => new DefaultAzureCredential(Configure(
                new DefaultAzureCredentialOptions
                {
                    TenantId = options.TenantId,
                    ManagedIdentityClientId = options.ClientId,
                    WorkloadIdentityClientId = options.ClientId,
                    DisableInstanceDiscovery = options.SkipsInstanceDiscovery,
                    // A CI run has no one to click through a browser or a Visual Studio sign-in; a prompt would hang the job.
                    ExcludeInteractiveBrowserCredential = true,
                    ExcludeVisualStudioCredential = true,
                    ExcludeVisualStudioCodeCredential = true,
                },
                options)),
        };
        return new AzureCredentialSource(credential, kind, description);
    }

    private static T Configure<T>(T credentialOptions, AzureCredentialOptions options)
        where T : TokenCredentialOptions
    {
        if (options.AuthorityHost is { } host)
        {
            credentialOptions.AuthorityHost = host;
        }

        if (options.Transport is { } transport)
        {
            credentialOptions.Transport = transport;
        }

        return credentialOptions;
    }

    private static Func<CancellationToken, Task<string>> AssertionCallback(Func<CancellationToken, ValueTask<string>> source) =>
        async cancellationToken =>
        {
            var token = await source(cancellationToken);
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new CredentialUnavailableException("the CI host returned an empty federated (OIDC) token.");
            }

            return token;
        };
}
