using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Spec;

namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>The credentials platform.awsAlb.credentials asks for: the default chain, a token file, or the CI system's OIDC token.</summary>
internal static class AlbCredentials
{
    /// <param name="idTokens">The host's ID token source (GitHub Actions, Azure DevOps); asked again at every exchange, so long deployments get fresh tokens.</param>
    public static AwsCredentialsSource FromSpec(AwsAlbPlatformOptions alb, IIdTokenSource? idTokens, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(alb);
        if (alb.Credentials is not { RoleArn: { } role } credentials)
        {
            return AwsCredentialsSource.FromDefaultChain();
        }

        if (credentials.GithubOidc && idTokens is null)
        {
            throw new PlatformException(
                "platform.awsAlb.credentials.githubOidc is true, but ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. " +
                "Fix: run in GitHub Actions with `permissions: id-token: write` on the job, or use webIdentityTokenFile outside GitHub.");
        }

        var options = new WebIdentityCredentialsOptions
        {
            RoleArn = role,
            RoleSessionName = credentials.RoleSessionName,
            Region = alb.Region,
            StsEndpointUrl = alb.EndpointUrl is { } url ? new Uri(url) : null,
            TokenFile = credentials.WebIdentityTokenFile,
            TokenProvider = credentials.GithubOidc ? ct => idTokens!.GetTokenAsync(IdTokenAudiences.Aws, ct) : null,
            TokenOrigin = credentials.GithubOidc ? idTokens!.Name : null,
        };
        return AwsCredentialsSource.FromWebIdentity(options, time);
    }
}
