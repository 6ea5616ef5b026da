using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Secrets;
using ZdPipelines.Core.Spec;
using ZdPipelines.Hosting.IdTokens;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Aws.Tests.Support;

namespace ZdPipelines.Platforms.Aws.Tests.Alb;

/// <summary>
/// `credentials: { roleArn, githubOidc: true }` as it runs in GitHub Actions: the job's OIDC token is fetched
/// from ACTIONS_ID_TOKEN_REQUEST_URL (a loopback stand-in here, answering as GitHub's does) and exchanged
/// through moto's STS. The environment variables are process-wide, so this runs in the moto collection.
/// </summary>
public sealed class AlbCredentialsTests(MotoServer moto) : MotoTest(moto)
{
    private const string Jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9yZy9zaG9wOmVudmlyb25tZW50OnByb2R1Y3Rpb24ifQ.c2ln";
    private const string RoleArn = "arn:aws:iam::123456789012:role/zdp-deploy";

    protected override bool BuildsAlb => false;

    private AwsAlbPlatformOptions Spec => new()
    {
        Region = "us-east-1",
        EndpointUrl = MotoServer.Endpoint.ToString(),
        ListenerArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2",
        Credentials = new AwsCredentialsSpec { RoleArn = RoleArn, GithubOidc = true },
    };

    [Fact]
    public async Task A_github_oidc_token_is_requested_for_the_sts_audience_and_exchanged_for_the_role()
    {
        var seen = new List<(string Query, string? Authorization)>();
        await using var github = await StartGitHubAsync(async context =>
        {
            seen.Add((context.Request.QueryString.Value ?? "", context.Request.Headers.Authorization.ToString()));
            await context.Response.WriteAsJsonAsync(new { value = Jwt });
        });
        using var _ = new EnvironmentScope(("ACTIONS_ID_TOKEN_REQUEST_URL", $"{github.Urls.Single()}/token?api-version=2.0"), ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token"));

        using var http = new HttpClient();
        using var tokens = GitHubIdTokenSource.FromEnvironment(http, Environment.GetEnvironmentVariable, new SecretMasker(), TimeProvider.System);
        var source = AlbCredentials.FromSpec(Spec, tokens, TimeProvider.System);
        var credentials = await source.GetCredentialsAsync(CancellationToken.None);

        var request = Assert.Single(seen);
        Assert.Equal("?api-version=2.0&audience=sts.amazonaws.com", request.Query);
        Assert.Equal("Bearer request-token", request.Authorization);
        Assert.StartsWith("ASIA", credentials.AccessKey);
        Assert.Contains(RoleArn, source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_github_variables_the_message_says_the_job_needs_id_token_write()
    {
        using var _ = new EnvironmentScope(("ACTIONS_ID_TOKEN_REQUEST_URL", null), ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", null));

        using var http = new HttpClient();
        var tokens = GitHubIdTokenSource.FromEnvironment(http, Environment.GetEnvironmentVariable, new SecretMasker(), TimeProvider.System);

        Assert.Null(tokens);
        var error = Assert.Throws<PlatformException>(() => AlbCredentials.FromSpec(Spec, tokens, TimeProvider.System));
        Assert.Contains("githubOidc", error.Message, StringComparison.Ordinal);
        Assert.Contains("id-token: write", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_token_request_is_one_message_naming_the_permission()
    {
        await using var github = await StartGitHubAsync(context =>
        {
            context.Response.StatusCode = (int)HttpStatusCode.Forbidden;
            return Task.CompletedTask;
        });
        using var _ = new EnvironmentScope(("ACTIONS_ID_TOKEN_REQUEST_URL", $"{github.Urls.Single()}/token?api-version=2.0"), ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token"));

        using var http = new HttpClient();
        using var tokens = GitHubIdTokenSource.FromEnvironment(http, Environment.GetEnvironmentVariable, new SecretMasker(), TimeProvider.System);
        var source = AlbCredentials.FromSpec(Spec, tokens, TimeProvider.System);

        var error = await Assert.ThrowsAsync<PlatformException>(() => source.GetCredentialsAsync(CancellationToken.None));
        Assert.Contains("HTTP 403", error.Message, StringComparison.Ordinal);
        Assert.Contains("id-token: write", error.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartGitHubAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(answer);
        await app.StartAsync();
        return app;
    }

    /// <summary>Sets environment variables for one test and puts the old values back.</summary>
    private sealed class EnvironmentScope : IDisposable
    {
        private readonly (string Name, string? Value)[] _saved;

        public EnvironmentScope(params (string Name, string? Value)[] values)
        {
            _saved = [.. values.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name)))];
            foreach (var (name, value) in values)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
