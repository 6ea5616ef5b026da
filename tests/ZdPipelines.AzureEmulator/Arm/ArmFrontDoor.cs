using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.AzureEmulator.Identity;
using ZdPipelines.AzureEmulator.State;
using ZdPipelines.AzureEmulator.Swagger;

namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>
/// The HTTPS endpoint: Entra ID's token and discovery endpoints, and ARM. An ARM request is authenticated (a bearer token this
/// tenant issued, for ARM's audience), checked against the descriptions (violations recorded), subjected to injected faults,
/// authorized against role assignments, then run by the operation's handler; the answer is checked against the described
/// response schema too.
/// </summary>
internal sealed partial class ArmFrontDoor(
    ArmState state,
    SwaggerCatalog catalog,
    EmulatedDirectory directory,
    RoleAssignments roles,
    ArmFaults faults,
    WebAppsOperations webApps,
    TagsOperations tags,
    MetricsOperations metrics)
{
    private readonly ConcurrentQueue<ArmRequestRecord> _requests = new();
    private readonly ConcurrentQueue<SwaggerViolation> _violations = new();
    private readonly ConcurrentQueue<SwaggerViolation> _responseViolations = new();
    private readonly ConcurrentDictionary<string, int> _remaining = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ArmRequestRecord> Requests => [.. _requests];

    /// <summary>Cancelled when the emulator stops, so a hanging fault does not hold up its shutdown.</summary>
    public CancellationToken Stopping { get; set; }

    public IReadOnlyList<SwaggerViolation> Violations => [.. _violations];

    public IReadOnlyList<SwaggerViolation> ResponseViolations => [.. _responseViolations];

    /// <summary>The audiences ARM accepts in a token: the public cloud's and the emulator's own endpoint.</summary>
    public HashSet<string> Audiences { get; } = new(StringComparer.OrdinalIgnoreCase) { "https://management.azure.com", "https://management.core.windows.net" };

    public async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = QueryHelpers.ParseQuery(question < 0 ? "" : target[question..]).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var method = context.Request.Method.ToUpperInvariant();
        var baseUri = new Uri($"https://{context.Request.Host}");
        var now = state.Time.GetUtcNow();

        if (await EntraAsync(context, method, path, baseUri, target, now))
        {
            return;
        }

        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        var (answer, operationId, principal) = Handle(method, path, target, query, authorization, body, baseUri, now);
        if (answer.Status == 0)
        {
            // A hanging fault: hold the request until the client gives up (its network timeout), then drop it.
            _requests.Enqueue(new ArmRequestRecord(now, method, target, operationId, 0, principal?.ClientId, body.Length == 0 ? null : body));
            try
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, Stopping);
                await Task.Delay(Timeout.InfiniteTimeSpan, either.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
            }

            return;
        }

        AddCommonHeaders(answer, method, ArmActions.Subscription(path));
        _requests.Enqueue(new ArmRequestRecord(now, method, target, operationId, answer.Status, principal?.ClientId, body.Length == 0 ? null : body));
        await WriteAsync(context, answer);
    }

    private (ArmAnswer Answer, string? OperationId, TokenPrincipal? Principal) Handle(
        string method, string path, string target, Dictionary<string, string> query, string? authorization, string body, Uri baseUri, DateTimeOffset now)
    {
        // 1. Authentication, as ARM's front door does it before anything else.
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (ArmAnswer.Error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
                .With("WWW-Authenticate", $"Bearer authorization_uri=\"{baseUri}{directory.TenantId}\", error=\"invalid_token\", error_description=\"The authentication failed because of missing 'Authorization' header.\""), null, null);
        }

        var (principal, problem) = directory.Validate(authorization["Bearer ".Length..].Trim(), Audiences);
        if (principal is null)
        {
            return (ArmAnswer.Error(401, "InvalidAuthenticationToken", problem!)
                .With("WWW-Authenticate", $"Bearer authorization_uri=\"{baseUri}{directory.TenantId}\", error=\"invalid_token\", error_description=\"{problem}\""), null, null);
        }

        // 2. The polling URLs the emulator handed out in 202s: not part of any description, so not checked against one.
        if (method == "GET" && PollTarget().Match(path) is { Success: true } poll)
        {
            var id = poll.Groups["id"].Value;
            var polled = poll.Groups["web"].Success
                ? webApps.Poll(id, statusResource: poll.Groups["web"].Value.Equals(WebAppsOperations.StatusSegment, StringComparison.OrdinalIgnoreCase), baseUri)
                : tags.Poll(id);
            var fault = faults.Take("Poll");
            return (fault is not null ? FaultAnswer(fault) : polled ?? ArmAnswer.Error(404, "NotFound", $"No operation '{id}'."), "Poll", principal);
        }

        // 3. The request against the official description. Every violation is recorded; the ones ARM itself would refuse
        //    (unknown operation, api-version, a missing or mistyped body member) are answered with its 400s.
        var (match, problems) = RequestCheck.Check(catalog, method, path, query, body);
        foreach (var violation in problems)
        {
            _violations.Enqueue(new SwaggerViolation(method, target, match?.Operation.OperationId, violation));
        }

        if (match is null)
        {
            return (ArmAnswer.Error(400, "InvalidResourceType", $"The resource type could not be found for '{path}' and method {method}."), null, principal);
        }

        var operation = match.Operation;
        if (!query.TryGetValue("api-version", out var apiVersion))
        {
            return (ArmAnswer.Error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."), operation.OperationId, principal);
        }

        if (apiVersion != operation.ApiVersion)
        {
            return (ArmAnswer.Error(400, "NoRegisteredProviderFound",
                $"No registered resource provider found for API version '{apiVersion}' of {operation.OperationId}. The supported api-versions are '{operation.ApiVersion}'."), operation.OperationId, principal);
        }

        if (problems.FirstOrDefault(p => p.StartsWith("body", StringComparison.Ordinal) || p.StartsWith("the required body", StringComparison.Ordinal)) is { } bodyProblem
            && (bodyProblem.Contains("required", StringComparison.Ordinal) || bodyProblem.Contains("expected", StringComparison.Ordinal) || bodyProblem.Contains("not JSON", StringComparison.Ordinal)))
        {
            return (ArmAnswer.Error(400, "InvalidRequestContent", $"The request content was invalid and could not be deserialized: {bodyProblem}."), operation.OperationId, principal);
        }

        // 4. The subscription, then faults on demand, then RBAC, as ARM orders them.
        var subscription = ArmActions.Subscription(path);
        if (subscription is null || !state.HasSubscription(subscription))
        {
            return (ArmAnswer.Error(404, "SubscriptionNotFound", $"The subscription '{subscription}' could not be found."), operation.OperationId, principal);
        }

        if (faults.Take(operation.OperationId) is { } injected)
        {
            return (FaultAnswer(injected), operation.OperationId, principal);
        }

        var action = ArmActions.Action(operation);
        var scope = ArmActions.Scope(operation, path);
        if (!roles.Allows(principal.ClientId, principal.ObjectId, action, scope))
        {
            return (ArmAnswer.Error(403, "AuthorizationFailed",
                $"The client '{principal.ClientId}' with object id '{principal.ObjectId}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials."),
                operation.OperationId, principal);
        }

        var resourceGroup = match.PathValues.GetValueOrDefault("resourceGroupName");
        if (resourceGroup is not null && !state.HasResourceGroup(subscription, resourceGroup))
        {
            return (ArmAnswer.Error(404, "ResourceGroupNotFound", $"Resource group '{resourceGroup}' could not be found."), operation.OperationId, principal);
        }

        // 5. The operation itself, and its answer against the described response.
        JsonNode? json = null;
        if (body.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                // Recorded above as a violation; the handler sees no body.
            }
        }

        var request = new ArmRequest(match, path, query, json, principal, baseUri, now);
        var answer = operation.OperationId switch
        {
            var id when WebAppsOperations.Served.Contains(id) => webApps.Handle(request),
            var id when TagsOperations.Served.Contains(id) => tags.Handle(request),
            "Metrics_List" => metrics.Handle(request),
            _ => ArmAnswer.Error(400, "BadRequest", $"The emulator does not serve {operation.OperationId}."),
        };
        CheckAnswer(method, target, operation, answer);
        return (answer, operation.OperationId, principal);
    }

    private void CheckAnswer(string method, string target, SwaggerOperation operation, ArmAnswer answer)
    {
        var code = answer.Status.ToString(CultureInfo.InvariantCulture);
        var response = operation.Responses.GetValueOrDefault(code) ?? operation.Responses.GetValueOrDefault("default");
        if (response is null)
        {
            _responseViolations.Enqueue(new SwaggerViolation(method, target, operation.OperationId, $"status {code} is not described"));
            return;
        }

        if (answer.Body is not null && response.Schema is { } schema)
        {
            var problems = new List<string>();
            schema.Check(answer.Body, "response", SchemaCheckMode.Response, problems);
            foreach (var problem in problems)
            {
                _responseViolations.Enqueue(new SwaggerViolation(method, target, operation.OperationId, problem));
            }
        }
    }

    private static ArmAnswer FaultAnswer(ArmFaults.Fault fault)
    {
        if (fault.Hangs)
        {
            return new ArmAnswer(0);
        }

        var answer = ArmAnswer.Error(fault.Status, fault.Code, fault.Message);
        if (fault.RetryAfter is { } retryAfter)
        {
            answer.With("Retry-After", ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture))
                .With("x-ms-ratelimit-remaining-subscription-reads", "0")
                .With("x-ms-ratelimit-remaining-subscription-writes", "0");
        }

        return answer;
    }

    /// <summary>Entra ID's endpoints. True when the request was one of them.</summary>
    private async Task<bool> EntraAsync(HttpContext context, string method, string path, Uri baseUri, string target, DateTimeOffset now)
    {
        var authority = baseUri.ToString().TrimEnd('/');
        JsonObject? body = null;
        var status = 200;
        string? operation = null;
        if (method == "GET" && OpenIdConfiguration().Match(path) is { Success: true } discovery)
        {
            operation = "Entra:OpenIdConfiguration";
            var tenant = discovery.Groups[1].Value;
            body = new JsonObject
            {
                ["issuer"] = $"{authority}/{tenant}/v2.0",
                ["authorization_endpoint"] = $"{authority}/{tenant}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"{authority}/{tenant}/oauth2/v2.0/token",
                ["jwks_uri"] = $"{authority}/{tenant}/discovery/v2.0/keys",
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["subject_types_supported"] = new JsonArray("pairwise"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "ES256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
                ["tenant_region_scope"] = "WW",
                ["cloud_instance_name"] = baseUri.Authority,
            };
        }
        else if (method == "GET" && Keys().IsMatch(path))
        {
            operation = "Entra:Keys";
            body = directory.KeySet();
        }
        else if (method == "POST" && TokenEndpoint().Match(path) is { Success: true } token)
        {
            operation = "Entra:Token";
            var form = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            (status, body) = directory.Exchange(token.Groups[1].Value, form);
        }

        if (operation is null)
        {
            return false;
        }

        _requests.Enqueue(new ArmRequestRecord(now, method, target, operation, status, null, null));
        await WriteAsync(context, new ArmAnswer(status, body));
        return true;
    }

    private static async Task WriteAsync(HttpContext context, ArmAnswer answer)
    {
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is null)
        {
            context.Response.ContentLength = 0;
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(answer.Body.ToJsonString());
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }

    private void AddCommonHeaders(ArmAnswer answer, string method, string? subscription)
    {
        answer.Headers.TryAdd("x-ms-request-id", Guid.NewGuid().ToString());
        answer.Headers.TryAdd("x-ms-correlation-request-id", Guid.NewGuid().ToString());
        if (subscription is null || answer.Headers.ContainsKey("x-ms-ratelimit-remaining-subscription-reads") || answer.Headers.ContainsKey("x-ms-ratelimit-remaining-subscription-writes"))
        {
            return;
        }

        // request-limits-and-throttling.md: 12,000 reads and 1,200 writes per hour per subscription, counted down per request.
        var reads = method is "GET" or "HEAD";
        var key = $"{subscription}:{(reads ? "reads" : "writes")}";
        var left = _remaining.AddOrUpdate(key, (reads ? 12000 : 1200) - 1, (_, n) => Math.Max(0, n - 1));
        answer.Headers[$"x-ms-ratelimit-remaining-subscription-{(reads ? "reads" : "writes")}"] = left.ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("^/subscriptions/[^/]+/providers/(?:Microsoft\\.Web/sites/[^/]+/(?<web>operationResults|operationLocations)|Microsoft\\.Resources/(?<tags>operationresults))/(?<id>[^/]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex PollTarget();

    [GeneratedRegex("^/([^/]+)/v2\\.0/\\.well-known/openid-configuration$", RegexOptions.IgnoreCase)]
    private static partial Regex OpenIdConfiguration();

    [GeneratedRegex("^/([^/]+)/oauth2/v2\\.0/token$", RegexOptions.IgnoreCase)]
    private static partial Regex TokenEndpoint();

    [GeneratedRegex("^/([^/]+)/discovery/v2\\.0/keys$", RegexOptions.IgnoreCase)]
    private static partial Regex Keys();
}
