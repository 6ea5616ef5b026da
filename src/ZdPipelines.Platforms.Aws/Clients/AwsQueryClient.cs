using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// The AWS Query protocol over HTTP, shared by the ELBv2 and CloudWatch clients: a form-encoded <c>POST /</c> signed with
/// SigV4, an <c>&lt;Op&gt;Response/&lt;Op&gt;Result</c> XML answer, and <c>ErrorResponse/Error{Type,Code,Message}</c> on failure.
/// Throttling, HTTP 500/502/503/504 and network failures are retried with jittered exponential backoff up to
/// <see cref="AwsClientOptions.MaxAttempts"/> within <see cref="AwsClientOptions.CallTimeout"/>; anything else fails at once
/// as an <see cref="AwsServiceException"/>.
/// </summary>
internal sealed class AwsQueryClient
{
    private readonly HttpClient _http;
    private readonly AwsQueryService _service;
    private readonly AwsClientOptions _options;
    private readonly AwsCredentialsSource _credentials;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;

    public AwsQueryClient(
        HttpClient http,
        AwsQueryService service,
        AwsClientOptions options,
        AwsCredentialsSource credentials,
        TimeProvider timeProvider,
        Func<double>? randomizer = null)
    {
        options.Validate();
        _http = http;
        _service = service;
        _options = options;
        _credentials = credentials;
        _time = timeProvider;
        Endpoint = service.EndpointFor(options.Region, options.EndpointUrl);
        _pipeline = BuildPipeline(options, timeProvider, randomizer);
    }

    public Uri Endpoint { get; }

    public AwsCallCounter Counter { get; } = new();

    /// <summary>
    /// Sends <paramref name="action"/> and returns its <c>&lt;Op&gt;Result</c> element, or the response root when the
    /// answer has no result wrapper (EC2-style answers; operations without an output shape, such as PutMetricData).
    /// Each attempt is bounded by <see cref="AwsClientOptions.AttemptTimeout"/>, the whole call by <see cref="AwsClientOptions.CallTimeout"/>.
    /// </summary>
    public async Task<XElement> SendAsync(string action, QueryParameters parameters, CancellationToken cancellationToken)
    {
        Counter.CountCall(action);
        var resource = ResourceOf(parameters);
        var body = Encoding.UTF8.GetBytes(parameters.ToFormBody(action, _service.Version));
        var attempts = 0;
        Exception? last = null;
        var started = _time.GetTimestamp();
        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    Counter.CountRequest(action);
                    try
                    {
                        return await SendOnceAsync(action, body, resource, token);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        last = e;
                        throw;
                    }
                },
                cancellationToken);
        }
        catch (TimeoutRejectedException) when (last is AwsServiceException { IsRetryable: true } retried)
        {
            // The call's budget ran out between retries of an AWS error (throttling, 5xx): report that error.
            throw GaveUp(retried, attempts, started);
        }
        catch (AwsServiceException e) when (e.IsRetryable && attempts > 1)
        {
            throw GaveUp(e, attempts, started);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutRejectedException)
        {
            // A timed-out attempt has no message of its own worth showing; a refused or reset connection has.
            var why = last is HttpRequestException or IOException ? last.Message : null;
            var message =
                $"{_service.IamPrefix}:{action} got no answer from {Endpoint}{(why is null ? "" : $" ({why})")}: gave up after {attempts} attempt{(attempts == 1 ? "" : "s")} in {Seconds(_time.GetElapsedTime(started))} " +
                $"(each attempt is abandoned after {Seconds(_options.AttemptTimeout)}, the whole call after {Seconds(_options.CallTimeout)}). {ChangeNote(action)} " +
                "Check the network and the region or endpoint URL.";
            // The transport's own exception stays out: its text is not ours to vouch for, and ours says what happened.
            throw new AwsServiceException(AwsServiceException.NoResponseCode, _credentials.Mask(why ?? "no answer"), 0, null, action, _service.SigningName, _credentials.Mask(message), null);
        }
    }

    /// <summary>The last AWS error of a call that was retried until it ran out of attempts or of time.</summary>
    private AwsServiceException GaveUp(AwsServiceException e, int attempts, long started) =>
        // e may come from the credentials source (an STS call), so keep its action and service.
        new(e.Code, e.ServiceMessage, e.StatusCode, e.RequestId, e.Action, e.Service,
            $"{e.Message} Gave up after {attempts} attempts in {Seconds(_time.GetElapsedTime(started))}. {ChangeNote(e.Action)}",
            null);

    /// <summary>What a call that got no usable answer may have done: a read changed nothing; a write may or may not have landed.</summary>
    private static string ChangeNote(string action) =>
        action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal) || action.StartsWith("List", StringComparison.Ordinal)
            ? "The call only reads, so nothing was changed."
            : "Whether AWS applied it is not known; zdp sent nothing further.";

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.#} s");

    private async Task<XElement> SendOnceAsync(string action, byte[] body, string resource, CancellationToken cancellationToken)
    {
        var credentials = await _credentials.GetCredentialsAsync(cancellationToken);
        var headers = QueryRequestSigner.Sign(Endpoint, body, credentials, _options.Region, _service.SigningName, _time.GetUtcNow().UtcDateTime);

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers)
        {
            switch (name)
            {
                case "content-type":
                    // Exactly as signed: let no header parser re-format it.
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", value);
                    break;
                case "host":
                    request.Headers.Host = value;
                    break;
                default:
                    request.Headers.TryAddWithoutValidation(name, value);
                    break;
            }
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        var headerRequestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;

        if (response.IsSuccessStatusCode)
        {
            // Every Query answer is an <Op>Response document, even for an operation with no output shape (CloudWatch
            // PutMetricData), which then has no <Op>Result inside.
            if (ParseXml(text) is not { } root)
            {
                var shown = AwsErrorText.Clean(text, _credentials.KnownSecrets);
                throw new AwsServiceException(
                    AwsServiceException.InvalidResponseCode,
                    shown,
                    status,
                    headerRequestId,
                    action,
                    _service.SigningName,
                    $"{_service.IamPrefix}:{action} answered HTTP {status} with {(text.Length == 0 ? "an empty body" : $"a body that is not XML: {shown}")}.",
                    null);
            }

            return root.Child($"{action}Result") ?? root;
        }

        var (code, raw, requestId) = ParseError(text, response.ReasonPhrase, status);
        requestId ??= headerRequestId;
        // Never the canonical request or string-to-sign a signature error echoes, nor any credential value.
        var message = AwsErrorText.Clean(raw, _credentials.KnownSecrets);
        throw new AwsServiceException(
            code,
            message,
            status,
            requestId,
            action,
            _service.SigningName,
            _credentials.Mask(AwsErrorCodes.Describe(code, message, status, requestId, _service, action, resource, _credentials.Description)),
            null);
    }

    private static XElement? ParseXml(string text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : XDocument.Parse(text).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>ErrorResponse/Error{Type,Code,Message}</c> with <c>RequestId</c> beside <c>Error</c> (Query services), or
    /// <c>Response/Errors/Error{Code,Message}</c> with <c>RequestID</c> (EC2). botocore's QueryParser._do_error_parse
    /// accepts both. A body that is not XML (a proxy's 502 page) is reported by its HTTP status.
    /// </summary>
    internal static (string Code, string Message, string? RequestId) ParseError(string text, string? reasonPhrase, int status)
    {
        var root = ParseXml(text);
        var error = root?.Name.LocalName switch
        {
            "ErrorResponse" => root.Child("Error"),
            "Response" => root.Child("Errors").Child("Error"),
            "Error" => root,
            _ => null,
        };
        if (error?.Text("Code") is { Length: > 0 } code)
        {
            var requestId = root.Text("RequestId") ?? root.Text("RequestID") ?? root.Child("ResponseMetadata").Text("RequestId");
            return (code, error.Text("Message") ?? string.Empty, requestId);
        }

        return ($"Http{status}", string.IsNullOrWhiteSpace(text) ? reasonPhrase ?? string.Empty : Truncate(text), null);
    }

    /// <summary>
    /// The resource a call is about, for permission messages: the first top-level <c>…Arn</c> member, else the first
    /// item of a <c>…Arns</c> or <c>…Names</c> list, else <c>*</c> (account-wide calls such as GetMetricData).
    /// </summary>
    internal static string ResourceOf(QueryParameters parameters)
    {
        foreach (var (key, value) in parameters.Pairs)
        {
            if (!key.Contains('.', StringComparison.Ordinal) && key.EndsWith("Arn", StringComparison.Ordinal))
            {
                return value;
            }
        }

        foreach (var (key, value) in parameters.Pairs)
        {
            if ((key.EndsWith("Arns.member.1", StringComparison.Ordinal) || key.EndsWith("Names.member.1", StringComparison.Ordinal))
                && key.Split('.').Length == 3)
            {
                return value;
            }
        }

        return "*";
    }

    private static ResiliencePipeline BuildPipeline(AwsClientOptions options, TimeProvider timeProvider, Func<double>? randomizer)
    {
        // Outermost: the whole call's budget, so that retries never outlast the lease they may be renewing.
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddTimeout(options.CallTimeout);
        if (options.MaxAttempts > 1)
        {
            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = new PredicateBuilder()
                    .Handle<AwsServiceException>(e => e.IsRetryable)
                    .Handle<HttpRequestException>()
                    .Handle<IOException>()
                    .Handle<TimeoutRejectedException>(),
            };
            if (randomizer is not null)
            {
                retry.Randomizer = randomizer;
            }

            builder.AddRetry(retry);
        }

        // Inside the retry: each attempt gets its own timeout, and a timed-out attempt is retried like a dropped connection.
        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    private static string Truncate(string text) => text.Length <= 300 ? text.Trim() : string.Concat(text.AsSpan(0, 300), "…");
}
