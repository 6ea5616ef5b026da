using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Hosting.IdTokens;
using ZdPipelines.Hosts.GitHubActions.Runner;
using ZdPipelines.Hosts.GitHubActions.Tests.Support;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Oidc;

public sealed class GitHubIdTokenSourceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private readonly StringWriter _log = new() { NewLine = "\n" };
    private IdTokenEndpoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await IdTokenEndpoint.StartAsync();
        _endpoint.Now = _time.GetUtcNow;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _endpoint.DisposeAsync();
    }

    [Theory]
    [InlineData(IdTokenAudiences.Aws)]
    [InlineData(IdTokenAudiences.Azure)]
    public async Task A_token_is_asked_for_the_audience_with_the_request_token_as_bearer_and_masked(string audience)
    {
        using var source = Source();

        var token = await source.GetTokenAsync(audience, default);

        var issued = Assert.Single(_endpoint.Issued);
        Assert.Equal((audience, $"Bearer {IdTokenEndpoint.RequestToken}", token), issued);
        Assert.Contains($"::add-mask::{token}", _log.ToString());
    }

    [Fact]
    public async Task A_token_is_reused_until_five_minutes_before_it_expires_then_fetched_again()
    {
        using var source = Source();
        var first = await source.GetTokenAsync(IdTokenAudiences.Aws, default);

        _time.Advance(TimeSpan.FromMinutes(4.9));
        var second = await source.GetTokenAsync(IdTokenAudiences.Aws, default);
        _time.Advance(TimeSpan.FromMinutes(0.2));
        var third = await source.GetTokenAsync(IdTokenAudiences.Aws, default);

        Assert.Equal(first, second);
        Assert.NotEqual(first, third);
        Assert.Equal(2, _endpoint.Issued.Count);
    }

    [Fact]
    public async Task Each_audience_has_its_own_token()
    {
        using var source = Source();

        var aws = await source.GetTokenAsync(IdTokenAudiences.Aws, default);
        var azure = await source.GetTokenAsync(IdTokenAudiences.Azure, default);

        Assert.NotEqual(aws, azure);
        Assert.Equal([IdTokenAudiences.Aws, IdTokenAudiences.Azure], _endpoint.Issued.Select(i => i.Audience));
    }

    [Fact]
    public async Task Without_the_request_variables_the_error_says_to_grant_id_token_write()
    {
        using var source = new GitHubIdTokenSource(_http, null, null, Masker(), _time);

        var error = await Assert.ThrowsAsync<PlatformException>(() => source.GetTokenAsync(IdTokenAudiences.Aws, default));

        Assert.Contains("permissions: id-token: write", error.Message);
    }

    [Fact]
    public async Task A_refused_request_names_the_audience_and_the_permission()
    {
        using var source = new GitHubIdTokenSource(_http, _endpoint.RequestUrl, "wrong", Masker(), _time);

        var error = await Assert.ThrowsAsync<PlatformException>(() => source.GetTokenAsync(IdTokenAudiences.Aws, default));

        Assert.Equal("GitHub refused the ID token request for audience sts.amazonaws.com (HTTP 401). Fix: give the job `permissions: id-token: write`; a workflow from a fork gets no ID token.", error.Message);
    }

    [Fact]
    public void The_expiry_is_read_from_the_payload_without_validating_the_signature()
    {
        var expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

        Assert.Equal(expires, JwtExpiry.Read(IdTokenEndpoint.Jwt("a", expires)));
        Assert.Null(JwtExpiry.Read("not.a.jwt!"));
        Assert.Null(JwtExpiry.Read("only-one-part"));
    }

    /// <summary>The product's masker, bridged to the runner's as the Action bridges them: a registered token becomes ::add-mask::.</summary>
    private ZdPipelines.Core.Secrets.SecretMasker Masker()
    {
        var masker = new ZdPipelines.Core.Secrets.SecretMasker();
        var runner = new SecretMasker(new WorkflowLog(_log));
        masker.Registered += runner.Register;
        return masker;
    }

    private GitHubIdTokenSource Source() => new(_http, _endpoint.RequestUrl, IdTokenEndpoint.RequestToken, Masker(), _time);
}
