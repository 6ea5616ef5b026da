using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Support;

/// <summary>
/// GitHub's Deployments API on 127.0.0.1 (Kestrel, port 0): every request is checked against the OpenAPI description
/// (<see cref="OpenApiRequestChecker"/>); a valid one is answered with the description's own example for the
/// operation's success status, its ids and urls replaced; an invalid one gets 422 and is kept in
/// <see cref="Violations"/>. Requests are recorded in order so tests can assert the statuses a deployment received.
/// </summary>
internal sealed class DeploymentsApiFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly OpenApiRequestChecker _checker = new(OpenApiRequestChecker.DefaultDescriptionPath);
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<string> _violations = [];
    private long _nextDeploymentId = 1_000;
    private long _nextStatusId = 5_000;

    private DeploymentsApiFake(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Base URL to use as GITHUB_API_URL.</summary>
    public string Url => _app.Urls.Single();

    /// <summary>When set, every request is answered with this status and a basic-error body carrying this message (GitHub's 403 for a missing permission).</summary>
    public (int Status, string Message)? RefuseWith { get; set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_requests)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>The <c>state</c> of every deployment status received, in order.</summary>
    public IReadOnlyList<string> States => Requests.Where(r => r.Template?.EndsWith("/statuses", StringComparison.Ordinal) == true && r.Status == 201)
        .Select(r => r.Body!["state"]!.GetValue<string>()).ToList();

    public static async Task<DeploymentsApiFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new DeploymentsApiFake(app);
        app.Run(async context =>
        {
            try
            {
                await fake.HandleAsync(context);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A fault of the fake itself: make it a violation the test reports, not a bare 500.
                lock (fake._requests)
                {
                    fake._violations.Add($"the fake failed: {e}");
                }

                context.Response.StatusCode = 500;
            }
        });
        await app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var (operation, template, values, problems) = _checker.Find(request.Method, request.Path.Value ?? "");
        if (operation is not null)
        {
            problems.AddRange(OpenApiRequestChecker.CheckBody(operation, body));
        }

        if (request.Headers.Authorization.ToString() is not { Length: > 7 } auth || !auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("no bearer token in Authorization");
        }

        if (string.IsNullOrEmpty(request.Headers.UserAgent))
        {
            problems.Add("no User-Agent (GitHub refuses such requests)");
        }

        JsonNode? parsed = null;
        try
        {
            parsed = body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Reported by CheckBody.
        }

        int status;
        JsonObject answer;
        if (problems.Count > 0)
        {
            status = 422;
            answer = Error("Validation Failed: " + string.Join("; ", problems));
            lock (_requests)
            {
                _violations.Add($"{request.Method} {request.Path}: {string.Join("; ", problems)}");
            }
        }
        else if (RefuseWith is { } refusal)
        {
            status = refusal.Status;
            answer = Error(refusal.Message);
        }
        else
        {
            (status, answer) = Answer(operation!, template!, values, parsed?.AsObject());
        }

        lock (_requests)
        {
            _requests.Add(new RecordedRequest(request.Method, request.Path.Value ?? "", template, parsed?.AsObject(), status, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }

    /// <summary>The example of the operation's 201 answer, made to describe this request's deployment or status.</summary>
    private (int, JsonObject) Answer(Microsoft.OpenApi.Models.OpenApiOperation operation, string template, IReadOnlyDictionary<string, string> values, JsonObject? body)
    {
        var repo = $"{Url}/repos/{values["owner"]}/{values["repo"]}";
        var example = OpenApiRequestChecker.Example(operation, "201");
        if (template == "/repos/{owner}/{repo}/deployments")
        {
            var id = Interlocked.Increment(ref _nextDeploymentId);
            example["id"] = id;
            example["url"] = $"{repo}/deployments/{id}";
            example["statuses_url"] = $"{repo}/deployments/{id}/statuses";
            example["repository_url"] = repo;
            example["ref"] = body!["ref"]!.GetValue<string>();
            example["environment"] = body["environment"]?.GetValue<string>() ?? "production";
            example["description"] = body["description"]?.GetValue<string>();
            example["task"] = body["task"]?.GetValue<string>() ?? "deploy";
            Validate(example, "deployment");
        }
        else
        {
            var id = Interlocked.Increment(ref _nextStatusId);
            var deployment = values["deployment_id"];
            example["id"] = id;
            example["url"] = $"{repo}/deployments/{deployment}/statuses/{id}";
            example["deployment_url"] = $"{repo}/deployments/{deployment}";
            example["repository_url"] = repo;
            example["state"] = body!["state"]!.GetValue<string>();
            example["description"] = body["description"]?.GetValue<string>() ?? "";
            example["log_url"] = body["log_url"]?.GetValue<string>() ?? "";
            example["target_url"] = body["log_url"]?.GetValue<string>() ?? "";
            example["environment_url"] = body["environment_url"]?.GetValue<string>() ?? "";
            Validate(example, "deployment-status");
        }

        return (201, example);
    }

    /// <summary>A basic-error body, checked against the description's own basic-error schema.</summary>
    private JsonObject Error(string message)
    {
        var error = new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest/deployments/deployments" };
        Validate(error, "basic-error");
        return error;
    }

    private void Validate(JsonObject answer, string schema)
    {
        var problems = new List<string>();
        OpenApiRequestChecker.Check(_checker.Schema(schema), answer, schema, problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"the fake's own {schema} answer breaks the description: {string.Join("; ", problems)}");
        }
    }
}

internal sealed record RecordedRequest(string Method, string Path, string? Template, JsonObject? Body, int Status, IReadOnlyDictionary<string, string> Headers);
