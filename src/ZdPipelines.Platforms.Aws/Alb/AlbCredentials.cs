using System.Net.Http.Headers;
using System.Text.Json;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Aws.Clients;

using ZdPipelines.Platforms.Aws.Spec;

namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>The credentials platform.awsAlb.credentials asks for: the default chain, a token file, or GitHub Actions' OIDC token.</summary>
internal static class AlbCredentials
{
    /// <summary>The audience AWS's own configure-aws-credentials action requests, and the one a GitHub OIDC trust policy checks.</summary>
    public const string GitHubAudience = "sts.amazonaws.com";

    public static async Task<AwsCredentialsSource> FromSpecAsync(AwsAlbPlatformOptions alb, TimeProvider time, CancellationToken cancellationToken)
    {
        if (alb.Credentials is not { RoleArn: { } role } credentials)
        {
            return AwsCredentialsSource.FromDefaultChain();
        }

        var options = new WebIdentityCredentialsOptions
        {
            RoleArn = role,
            RoleSessionName = credentials.RoleSessionName,
            Region = alb.Region,
            StsEndpointUrl = alb.EndpointUrl is { } url ? new Uri(url) : null,
            TokenFile = credentials.WebIdentityTokenFile,
            Token = credentials.GithubOidc ? await GitHubTokenAsync(cancellationToken) : null,
        };
        return AwsCredentialsSource.FromWebIdentity(options, time);
    }

    /// <summary>GET $ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=… with the request token as bearer; the JWT is in "value" (actions/toolkit oidc-utils.ts).</summary>
    private static async Task<string> GitHubTokenAsync(CancellationToken cancellationToken)
    {
        var url = Environment.GetEnvironmentVariable("ACTIONS_ID_TOKEN_REQUEST_URL");
        var bearer = Environment.GetEnvironmentVariable("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(bearer))
        {
            throw new PlatformException(
                "platform.awsAlb.credentials.githubOidc is true, but ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. " +
                "Fix: run in GitHub Actions with `permissions: id-token: write` on the job, or use webIdentityTokenFile outside GitHub.");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}&audience={Uri.EscapeDataString(GitHubAudience)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PlatformException($"GitHub refused the OIDC token request (HTTP {(int)response.StatusCode}). Fix: give the job `permissions: id-token: write`.");
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.TryGetProperty("value", out var value) && value.GetString() is { Length: > 0 } token
            ? token
            : throw new PlatformException("GitHub's OIDC token answer has no \"value\". Fix: check that the job runs on GitHub Actions with `permissions: id-token: write`.");
    }
}
