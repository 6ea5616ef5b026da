using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// The one way the ARM clients talk to Resource Manager: an Azure.Core <see cref="HttpPipeline"/> with its retry policy
/// (429/408/5xx and network failures, <c>Retry-After</c> honoured) and a <see cref="BearerTokenAuthenticationPolicy"/> per
/// attempt, a total time budget per request, and ARM's error envelope turned into <see cref="ArmRequestFailedException"/>.
/// </summary>
internal sealed class ArmPipeline
{
    private readonly HttpPipeline _pipeline;
    private readonly ArmClientOptions _options;
    private readonly AzureCredentialSource _credential;

    public ArmPipeline(ArmClientOptions options, AzureCredentialSource credential, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        options.Validate();
        _options = options;
        _credential = credential;
        Time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Endpoint = options.ResourceManagerEndpoint;

        var clientOptions = new ArmPipelineClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = options.RetryMaxDelay;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        clientOptions.Diagnostics.ApplicationId = "zdp";
        if (options.Transport is { } transport)
        {
            clientOptions.Transport = transport;
        }

        // Per-retry policies run on every attempt, after the retry policy: a fresh token check and one count per HTTP request.
        _pipeline = HttpPipelineBuilder.Build(
            clientOptions,
            new BearerTokenAuthenticationPolicy(credential.Credential, options.TokenScope),
            new AttemptCountingPolicy(Counter));
    }

    public Uri Endpoint { get; }

    public ArmClientOptions Options => _options;

    public TimeProvider Time { get; }

    public ArmCallCounter Counter { get; } = new();

    /// <summary>
    /// <c>{endpoint}{resourcePath}?api-version=…&amp;name=value…</c>; null values are left out, the rest escaped.
    /// </summary>
    public Uri BuildUri(string resourcePath, string apiVersion, params (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(Endpoint.GetLeftPart(UriPartial.Authority));
        builder.Append(resourcePath.StartsWith('/') ? resourcePath : "/" + resourcePath);
        builder.Append("?api-version=").Append(Uri.EscapeDataString(apiVersion));
        foreach (var (name, value) in query)
        {
            if (value is not null)
            {
                builder.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return new Uri(builder.ToString());
    }

    /// <summary>
    /// Sends one request (Azure.Core retrying it as needed) and returns a 2xx answer; anything else throws
    /// <see cref="ArmRequestFailedException"/>, or <see cref="AzureCredentialException"/> when no token could be had.
    /// </summary>
    public async Task<ArmResponse> SendAsync(
        RequestMethod method, Uri uri, BinaryData? body, ArmOperationInfo operation, ResourceIdentifier resourceId, CancellationToken cancellationToken)
    {
        if (!string.Equals(uri.GetLeftPart(UriPartial.Authority), Endpoint.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            // A polling URL comes from the server; never send the bearer token anywhere but the configured ARM endpoint.
            throw new ArmRequestFailedException(
                0, ArmRequestFailedException.InvalidResponseCode, $"ARM pointed the client at '{uri.GetLeftPart(UriPartial.Authority)}', not at {Endpoint}.",
                operation, resourceId.ToString(), null);
        }

        Counter.CountCall(operation.OperationId);
        using var budget = new CancellationTokenSource(_options.TotalRetryBudget, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        using var message = _pipeline.CreateMessage();
        message.SetProperty(typeof(ArmOperationInfo), operation);
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        if (body is not null)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
            request.Content = RequestContent.Create(body);
        }

        try
        {
            await _pipeline.SendAsync(message, linked.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var why = budget.IsCancellationRequested
                ? $"no answer within the {_options.TotalRetryBudget.TotalSeconds:0} s budget of one request (retries and Retry-After waits included)"
                : $"the attempt timed out after {_options.NetworkTimeout.TotalSeconds:0.#} s";
            throw new ArmRequestFailedException(0, ArmRequestFailedException.TimeoutCode, why, operation, resourceId.ToString(), null, e);
        }
        catch (AuthenticationFailedException e)
        {
            // CredentialUnavailableException (nothing in the default chain) derives from it.
            throw new AzureCredentialException(_credential.Description, operation.OperationId, e);
        }
        catch (RequestFailedException e) when (e.Status == 0)
        {
            throw NoAnswer(e, operation, resourceId);
        }
        catch (AggregateException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Azure.Core's RetryPolicy throws "Retry failed after N tries" with every attempt's exception inside.
            if (e.InnerExceptions.All(i => i is OperationCanceledException))
            {
                throw new ArmRequestFailedException(
                    0, ArmRequestFailedException.TimeoutCode, $"all {e.InnerExceptions.Count} attempts timed out after {_options.NetworkTimeout.TotalSeconds:0.#} s each",
                    operation, resourceId.ToString(), null, e);
            }

            throw NoAnswer(e.InnerExceptions[^1], operation, resourceId);
        }

        var response = message.Response;
        var content = BinaryData.FromBytes(response.Content.ToArray()); // a copy: the message (and its buffer) is disposed below
        var answer = new ArmResponse(
            response.Status,
            content,
            Header(response, "Location"),
            Header(response, "Azure-AsyncOperation"),
            RetryAfter(response),
            Header(response, "x-ms-request-id"));
        if (response.Status is < 200 or > 299)
        {
            var (code, text) = ParseError(response.Status, response.ReasonPhrase, content);
            throw new ArmRequestFailedException(response.Status, code, text, operation, resourceId.ToString(), answer.RequestId);
        }

        return answer;
    }

    /// <summary>
    /// ARM's error body: <c>{"error":{"code","message"}}</c> (App Service <c>DefaultErrorResponse</c>, Resources <c>CloudError</c>)
    /// or the flat <c>{"code","message"}</c> of common-types v1 <c>ErrorResponse</c>, which Metrics_List declares as its default.
    /// </summary>
    internal static (string Code, string Message) ParseError(int status, string reasonPhrase, BinaryData content)
    {
        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            var root = document.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : root;
            // App Service has been seen answering with "Code"/"Message"; JSON property names are matched case-insensitively.
            var code = Property(error, "code");
            var message = Property(error, "message");
            if (code is not null || message is not null)
            {
                return (code ?? $"Http{status}", message ?? reasonPhrase);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a gateway's HTML page): fall through to the status line.
        }

        return ($"Http{status}", string.IsNullOrEmpty(reasonPhrase) ? $"HTTP {status}" : reasonPhrase);
    }

    private static string? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }

        return null;
    }

    private ArmRequestFailedException NoAnswer(Exception e, ArmOperationInfo operation, ResourceIdentifier resourceId) =>
        new(0, ArmRequestFailedException.NoResponseCode, $"no answer from {Endpoint}: {e.Message.Split('\n')[0].Trim()}", operation, resourceId.ToString(), null, e);

    private static string? Header(Response response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;

    private static TimeSpan? RetryAfter(Response response)
    {
        // ARM sends Retry-After in seconds (async-operations guide); an HTTP date is allowed by RFC 9110 as well.
        if (!response.Headers.TryGetValue("Retry-After", out var value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date - (response.Headers.Date ?? DateTimeOffset.UtcNow)
            : null;
    }

    private sealed class ArmPipelineClientOptions : ClientOptions
    {
    }

    private sealed class AttemptCountingPolicy(ArmCallCounter counter) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.TryGetProperty(typeof(ArmOperationInfo), out var operation) && operation is ArmOperationInfo info)
            {
                counter.CountAttempt(info.OperationId);
            }
        }
    }
}

/// <summary>A 2xx answer from ARM with the headers the clients act on.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Content">The body (empty for 202s and the POST actions).</param>
/// <param name="Location">The <c>Location</c> header: where to poll an async operation.</param>
/// <param name="AzureAsyncOperation">The <c>Azure-AsyncOperation</c> header: the operation's status resource.</param>
/// <param name="RetryAfter">The <c>Retry-After</c> header: when to poll next.</param>
/// <param name="RequestId">The <c>x-ms-request-id</c> header.</param>
internal sealed record ArmResponse(int Status, BinaryData Content, string? Location, string? AzureAsyncOperation, TimeSpan? RetryAfter, string? RequestId)
{
    /// <summary>The body as JSON; an empty or non-JSON body is an <see cref="ArmRequestFailedException"/> naming the operation.</summary>
    public JsonElement Json(ArmOperationInfo operation, ResourceIdentifier resourceId)
    {
        try
        {
            using var document = JsonDocument.Parse(Content.ToMemory());
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ArmRequestFailedException(
                Status, ArmRequestFailedException.InvalidResponseCode, $"the answer is not JSON ({e.Message})", operation, resourceId.ToString(), RequestId, e);
        }
    }
}
