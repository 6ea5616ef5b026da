using System.Text;
using ZdPipelines.Core.Engine;
using ZdPipelines.Hosts.GitHubActions.Deployments;
using ZdPipelines.Hosts.GitHubActions.Runner;
using ZdPipelines.Hosts.GitHubActions.Tests.Support;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Deployments;

/// <summary>The client and the reporter against the fake, which holds every request to GitHub's OpenAPI description.</summary>
public sealed class DeploymentsApiTests : IAsyncLifetime
{
    private const string RunUrl = "https://github.com/octo/shop/actions/runs/42";
    private DeploymentsApiFake _fake = null!;
    private readonly HttpClient _http = new();
    private readonly StringWriter _stdout = new();

    public async Task InitializeAsync() => _fake = await DeploymentsApiFake.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task A_deployment_is_created_for_the_ref_and_environment_without_auto_merge_or_required_contexts()
    {
        var client = Client();

        var id = await client.CreateDeploymentAsync(new NewDeployment { Ref = "abc123", Environment = "staging", Description = "zdp deploy of shop", Payload = new("zdp", "zdp.yml") }, default);

        Assert.Empty(_fake.Violations);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/repos/octo/shop/deployments", request.Path);
        Assert.Equal("abc123", request.Body!["ref"]!.GetValue<string>());
        Assert.Equal("staging", request.Body["environment"]!.GetValue<string>());
        Assert.False(request.Body["auto_merge"]!.GetValue<bool>());
        Assert.Empty(request.Body["required_contexts"]!.AsArray());
        Assert.Equal("Bearer ghs_token", request.Headers["Authorization"]);
        Assert.Equal(GitHubDeploymentsClient.ApiVersion, request.Headers["X-GitHub-Api-Version"]);
        Assert.Equal(1001, id);
    }

    [Fact]
    public async Task A_rolled_back_deployment_gets_in_progress_then_a_rollback_status_then_failure_naming_the_gate()
    {
        var reporter = Reporter();

        await reporter.StartAsync("shop-api", default);
        foreach (var e in Events.RolledBackCanary())
        {
            await reporter.ObserveAsync(e, default);
        }

        await reporter.FinishAsync(DeploymentOutcome.RolledBack, "gate failed", default);

        Assert.Empty(_fake.Violations);
        Assert.Equal(["in_progress", "in_progress", "failure"], _fake.States);
        var statuses = _fake.Requests.Where(r => r.Template!.EndsWith("/statuses", StringComparison.Ordinal)).ToList();
        Assert.All(statuses, s => Assert.Equal(RunUrl, s.Body!["log_url"]!.GetValue<string>()));
        Assert.All(statuses, s => Assert.Equal("https://shop.example.com", s.Body!["environment_url"]!.GetValue<string>()));
        Assert.StartsWith("rolling back: step 2", statuses[1].Body!["description"]!.GetValue<string>());
        Assert.StartsWith("rolled back: gate 'error-rate' failed (value 0.32, threshold < 0.05, 99 samples", statuses[2].Body!["description"]!.GetValue<string>());
        Assert.All(statuses, s => Assert.True(s.Body!["description"]!.GetValue<string>().Length <= 140));
        Assert.Equal(1001, reporter.DeploymentId);
    }

    [Theory]
    [InlineData(DeploymentOutcome.Promoted, "success")]
    [InlineData(DeploymentOutcome.Cancelled, "failure")]
    [InlineData(DeploymentOutcome.Failed, "error")]
    [InlineData(DeploymentOutcome.Refused, "error")]
    public async Task The_final_state_follows_the_outcome(DeploymentOutcome outcome, string state)
    {
        var reporter = Reporter();
        await reporter.StartAsync("shop-api", default);

        await reporter.FinishAsync(outcome, "why", default);

        Assert.Empty(_fake.Violations);
        Assert.Equal(["in_progress", state], _fake.States);
    }

    [Theory]
    [InlineData(403, "Resource not accessible by integration")]
    [InlineData(404, "Not Found")]
    public async Task A_token_without_deployments_write_gives_one_warning_and_no_further_calls(int status, string message)
    {
        _fake.RefuseWith = (status, message);
        var reporter = Reporter();

        await reporter.StartAsync("shop-api", default);
        await reporter.ObserveAsync(new RollbackStarted(Events.At(1), "gate"), default);
        await reporter.FinishAsync(DeploymentOutcome.Promoted, null, default);

        Assert.Single(_fake.Requests);
        Assert.Null(reporter.DeploymentId);
        var warning = Assert.Single(_stdout.ToString().Split('\n'), l => l.StartsWith("::warning", StringComparison.Ordinal));
        Assert.Contains(message, warning);
        Assert.Contains("deployments: write", warning);
    }

    [Fact]
    public async Task The_checker_rejects_a_status_the_description_does_not_allow()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_fake.Url}/repos/octo/shop/deployments/12/statuses")
        {
            Content = new StringContent("""{"state":"done","log_url":7}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Authorization", "Bearer t");
        request.Headers.Add("User-Agent", "test");

        using var response = await _http.SendAsync(request);

        Assert.Equal(422, (int)response.StatusCode);
        var violation = Assert.Single(_fake.Violations);
        Assert.Contains("body.state is 'done', not one of error, failure, inactive, in_progress, queued, pending, success", violation);
        Assert.Contains("body.log_url is number, not a string", violation);
    }

    [Fact]
    public async Task The_checker_rejects_a_deployment_without_ref_and_a_path_that_is_not_in_the_description()
    {
        foreach (var (path, body) in new[] { ("/repos/octo/shop/deployments", """{"environment":"x"}"""), ("/repos/octo/shop/deployment", "{}"), ("/repos/octo/shop/deployments/abc/statuses", """{"state":"success"}""") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _fake.Url + path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Authorization", "Bearer t");
            request.Headers.Add("User-Agent", "test");
            using var response = await _http.SendAsync(request);
            Assert.Equal(422, (int)response.StatusCode);
        }

        Assert.Collection(_fake.Violations,
            v => Assert.Contains("body.ref is required", v),
            v => Assert.Contains("matches no path of the description", v),
            v => Assert.Contains("path parameter deployment_id is 'abc', not an integer", v));
    }

    private GitHubDeploymentsClient Client() => new(_http, _fake.Url, "octo/shop", "ghs_token");

    private DeploymentReporter Reporter() => new(Client(), new DeploymentTarget("staging", "abc123", "https://shop.example.com", RunUrl, "zdp.yml"), new WorkflowLog(_stdout));
}
