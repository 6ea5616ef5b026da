using System.Text.Json;
using Azure;
using Azure.Core;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// A long-running ARM operation (Swagger <c>x-ms-long-running-operation: true</c>), polled as the ARM async-operations guide
/// describes: a 200/204 first answer is already done; a 201/202 is polled at <c>Azure-AsyncOperation</c> when given (a status
/// resource whose <c>status</c> ends in <c>Succeeded</c>, <c>Failed</c> or <c>Canceled</c>), else at <c>Location</c> (202 while
/// running, 200/204 when done, an error status when failed), waiting <c>Retry-After</c> seconds on the injected clock between polls.
/// </summary>
/// <remarks>Mirrors Azure.ResourceManager's <c>ArmOperation</c> (<c>HasCompleted</c>, <c>UpdateStatusAsync</c>, <c>WaitForCompletionResponseAsync</c>).</remarks>
internal sealed class ArmOperation
{
    /// <summary>The terminal status of a successful operation (ARM async-operations guide).</summary>
    public const string Succeeded = "Succeeded";

    public const string Failed = "Failed";

    public const string Canceled = "Canceled";

    public const string InProgress = "InProgress";

    /// <summary>A <c>Retry-After: 0</c> (or none below a second) still waits this long, so a poll loop never spins.</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(1);

    private readonly ArmPipeline _pipeline;
    private readonly ArmOperationInfo _operation;
    private readonly ArmOperationInfo _poll;
    private readonly ResourceIdentifier _resourceId;
    private Uri? _statusUri;
    private Uri? _locationUri;
    private TimeSpan? _retryAfter;

    private ArmOperation(ArmPipeline pipeline, ArmOperationInfo operation, ResourceIdentifier resourceId)
    {
        _pipeline = pipeline;
        _operation = operation;
        _poll = operation with { OperationId = operation.OperationId + " (poll)" };
        _resourceId = resourceId;
    }

    /// <summary>True once the operation reached a terminal status (or the first answer was final).</summary>
    public bool HasCompleted { get; private set; }

    /// <summary>The last status seen: <see cref="InProgress"/> (or what ARM said, e.g. <c>Running</c>) until a terminal one.</summary>
    public string Status { get; private set; } = InProgress;

    /// <summary>Where the operation is polled; null when the first answer was final.</summary>
    public Uri? PollingUri => _statusUri ?? _locationUri;

    /// <summary>How many polls it took so far.</summary>
    public int Polls { get; private set; }

    /// <summary>Sends the first request and, with <see cref="WaitUntil.Completed"/>, polls until the operation ends.</summary>
    internal static async Task<ArmOperation> StartAsync(
        ArmPipeline pipeline, WaitUntil waitUntil, RequestMethod method, Uri uri, BinaryData? body, ArmOperationInfo operation, ResourceIdentifier resourceId,
        CancellationToken cancellationToken)
    {
        var first = await pipeline.SendAsync(method, uri, body, operation, resourceId, cancellationToken);
        var lro = FromResponse(pipeline, first, operation, resourceId);
        if (waitUntil == WaitUntil.Completed)
        {
            await lro.WaitForCompletionResponseAsync(cancellationToken);
        }

        return lro;
    }

    /// <summary>The operation that <paramref name="first"/>, the answer to its initial request, started.</summary>
    internal static ArmOperation FromResponse(ArmPipeline pipeline, ArmResponse first, ArmOperationInfo operation, ResourceIdentifier resourceId)
    {
        var lro = new ArmOperation(pipeline, operation, resourceId);
        lro.Take(first, initial: true);
        return lro;
    }

    /// <summary>Polls once (unless already complete). Throws <see cref="ArmRequestFailedException"/> when the operation failed.</summary>
    public async Task UpdateStatusAsync(CancellationToken cancellationToken)
    {
        if (HasCompleted)
        {
            return;
        }

        Polls++;
        ArmResponse answer;
        try
        {
            answer = await _pipeline.SendAsync(RequestMethod.Get, PollingUri!, null, _poll, _resourceId, cancellationToken);
        }
        catch (ArmRequestFailedException e) when (_statusUri is null && e.Status >= 400)
        {
            // Location polling reports a failed operation as the operation's own error status and body.
            Complete(Failed);
            throw new ArmRequestFailedException(e.Status, e.ErrorCode, e.ArmMessage, _operation, _resourceId.ToString(), e.RequestId, e);
        }

        Take(answer, initial: false);
    }

    /// <summary>Polls until the operation ends, waiting between polls on the pipeline's <see cref="TimeProvider"/>.</summary>
    public async Task WaitForCompletionResponseAsync(CancellationToken cancellationToken)
    {
        while (!HasCompleted)
        {
            var options = _pipeline.Options;
            var wait = _retryAfter ?? options.DefaultPollInterval;
            wait = wait < MinPollInterval ? MinPollInterval : wait > options.MaxPollInterval ? options.MaxPollInterval : wait;
            await Task.Delay(wait, _pipeline.Time, cancellationToken);
            await UpdateStatusAsync(cancellationToken);
        }
    }

    private void Take(ArmResponse answer, bool initial)
    {
        _retryAfter = answer.RetryAfter;
        if (initial)
        {
            if (answer.Status is not (201 or 202))
            {
                Complete(Succeeded);
                return;
            }

            _statusUri = answer.AzureAsyncOperation is { } status ? new Uri(status) : null;
            _locationUri = answer.Location is { } location ? new Uri(location) : null;
            if (_statusUri is null && _locationUri is null)
            {
                throw new ArmRequestFailedException(
                    answer.Status, ArmRequestFailedException.InvalidResponseCode,
                    $"ARM accepted the operation (HTTP {answer.Status}) but sent neither Azure-AsyncOperation nor Location to follow it",
                    _operation, _resourceId.ToString(), answer.RequestId);
            }

            return;
        }

        if (_statusUri is not null)
        {
            TakeStatusResource(answer);
            return;
        }

        // Location polling: 202 is "still running" (possibly with a new Location), anything else 2xx is done.
        if (answer.Status == 202)
        {
            _locationUri = answer.Location is { } next ? new Uri(next) : _locationUri;
            return;
        }

        Complete(Succeeded);
    }

    private void TakeStatusResource(ArmResponse answer)
    {
        var json = answer.Json(_poll, _resourceId);
        var status = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()!
            : throw new ArmRequestFailedException(
                answer.Status, ArmRequestFailedException.InvalidResponseCode, "the operation status resource has no 'status'", _poll, _resourceId.ToString(), answer.RequestId);
        Status = status;
        if (string.Equals(status, Succeeded, StringComparison.OrdinalIgnoreCase))
        {
            Complete(Succeeded);
        }
        else if (string.Equals(status, Failed, StringComparison.OrdinalIgnoreCase) || string.Equals(status, Canceled, StringComparison.OrdinalIgnoreCase))
        {
            Complete(status);
            var (code, message) = json.TryGetProperty("error", out _)
                ? ArmPipeline.ParseError(answer.Status, "", answer.Content)
                : ($"Operation{status}", $"the operation ended {status} without an error");
            // The status resource answered 200; the failure is the operation's, which has no HTTP status of its own.
            throw new ArmRequestFailedException(0, code, message, _operation, _resourceId.ToString(), answer.RequestId);
        }
    }

    private void Complete(string status)
    {
        Status = status;
        HasCompleted = true;
    }
}
