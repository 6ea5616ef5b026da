namespace ZdPipelines.Hosts.GitHubActions.Oidc;

/// <summary>
/// An OpenID Connect ID token for the job, asked per audience: the one token source every platform's credentials
/// ask (AWS web identity, Azure federated credential), each with its own audience.
/// </summary>
internal interface IIdTokenSource
{
    /// <summary>A token for <paramref name="audience"/> that is valid for a while yet; fetched again when it is not.</summary>
    Task<string> GetTokenAsync(string audience, CancellationToken cancellationToken);
}

/// <summary>The audiences the clouds' token exchanges expect (docs security/oidc-in-aws.md, oidc-in-azure.md).</summary>
internal static class IdTokenAudiences
{
    /// <summary>STS AssumeRoleWithWebIdentity; what aws-actions/configure-aws-credentials requests.</summary>
    public const string Aws = "sts.amazonaws.com";

    /// <summary>Microsoft Entra workload identity federation; what azure/login requests.</summary>
    public const string Azure = "api://AzureADTokenExchange";
}

/// <summary>The job cannot get an ID token: what is missing, and the fix.</summary>
internal sealed class IdTokenException(string message, Exception? inner = null) : Exception(message, inner);
