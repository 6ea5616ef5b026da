using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Spec;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// The credentials block as <see cref="AzureCredentialOptions"/>: a client secret from the environment variable it names, a
/// client assertion from the CI host's OIDC tokens (<see cref="PlatformOpening.IdTokens"/>), or the default chain. Every
/// secret value is registered with the host before it is used, so nothing zdp prints shows it.
/// </summary>
internal static class AppServiceCredentials
{
    private const string Path = "platform.azureAppService.credentials";

    public static AzureCredentialOptions From(AzureAppServiceOptions block, PlatformOpening opening, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(opening);
        ArgumentNullException.ThrowIfNull(environment);
        var spec = block.Credentials;
        var authority = block.AuthorityHost is { } host ? new Uri(host) : null;
        if (spec?.ClientSecretVariable is { } variable)
        {
            var secret = environment(variable);
            if (string.IsNullOrEmpty(secret))
            {
                throw new PlatformException(
                    $"the environment variable {variable} ({Path}.clientSecretVariable) is not set or is empty, so there is no client secret to sign in with. " +
                    $"Fix: pass the app registration's secret to zdp in {variable}, e.g. from a CI secret.");
            }

            opening.RegisterSecret(secret);
            return new AzureCredentialOptions { TenantId = spec.TenantId, ClientId = spec.ClientId, ClientSecret = secret, AuthorityHost = authority };
        }

        if (spec is { WorkloadIdentity: true })
        {
            var tokens = opening.IdTokens ?? throw new PlatformException(
                $"{Path}.workloadIdentity signs in with the CI host's OIDC token, and this run has none. " +
                "Fix: run zdp through the zdp GitHub Action (with `permissions: id-token: write`) or the Azure DevOps task with a workload identity service connection; " +
                "elsewhere leave workloadIdentity out (the default chain reads AZURE_FEDERATED_TOKEN_FILE) or use clientSecretVariable.");
            var audience = spec.Audience;
            return new AzureCredentialOptions
            {
                TenantId = spec.TenantId,
                ClientId = spec.ClientId,
                AuthorityHost = authority,
                ClientAssertion = async cancellationToken =>
                {
                    var token = await tokens.GetTokenAsync(audience, cancellationToken);
                    // A federated token is a bearer credential for as long as it lives.
                    opening.RegisterSecret(token);
                    return token;
                },
            };
        }

        return new AzureCredentialOptions { TenantId = spec?.TenantId, ClientId = spec?.ClientId, AuthorityHost = authority };
    }
}
