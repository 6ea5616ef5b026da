namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// An AWS call that failed: the service's error <see cref="Code"/> and message, the HTTP status, the request id, and which
/// action of which service it was. <see cref="Exception.Message"/> is the one line to show a user: what failed, on which
/// resource, and what to do for the errors a user can act on (permissions, credentials). Nothing it carries holds an
/// echo of signed material or a credential value: the client cleans AWS's text and keeps no raw inner exception.
/// </summary>
internal sealed class AwsServiceException : Exception
{
    /// <summary>The <c>Code</c> for a call that got no answer from AWS at all (connection refused, reset, timed out).</summary>
    public const string NoResponseCode = "NoResponse";

    /// <summary>
    /// The <c>Code</c> for a success status whose body is empty or not XML: a cut-off answer. Retried, because reading it as
    /// "no items" would let a deployment act on a target list it never got.
    /// </summary>
    public const string InvalidResponseCode = "InvalidResponse";

    public AwsServiceException()
        : this(NoResponseCode, string.Empty, 0, null, string.Empty, string.Empty)
    {
    }

    public AwsServiceException(string message)
        : this(message, null)
    {
    }

    public AwsServiceException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = NoResponseCode;
        ServiceMessage = message;
        Action = string.Empty;
        Service = string.Empty;
    }

    public AwsServiceException(string code, string serviceMessage, int statusCode, string? requestId, string action, string service)
        : this(code, serviceMessage, statusCode, requestId, action, service, $"{service}:{action} failed: {code}: {serviceMessage}", null)
    {
    }

    internal AwsServiceException(
        string code, string serviceMessage, int statusCode, string? requestId, string action, string service, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
        ServiceMessage = serviceMessage;
        StatusCode = statusCode;
        RequestId = requestId;
        Action = action;
        Service = service;
    }

    /// <summary>The AWS error code, e.g. <c>ListenerNotFound</c>, <c>ThrottlingException</c>; <see cref="NoResponseCode"/> when nothing answered.</summary>
    public string Code { get; }

    /// <summary>
    /// The message AWS sent, up to where it would echo the signed request (a SignatureDoesNotMatch message goes on with
    /// the canonical request, session token included), on one line, with every credential value zdp knows masked.
    /// </summary>
    public string ServiceMessage { get; }

    /// <summary>The HTTP status of the answer; 0 when there was none.</summary>
    public int StatusCode { get; }

    public string? RequestId { get; }

    /// <summary>The Query action, e.g. <c>ModifyListener</c>.</summary>
    public string Action { get; }

    /// <summary>The SigV4 service name, e.g. <c>elasticloadbalancing</c> or <c>monitoring</c>.</summary>
    public string Service { get; }

    /// <summary>True for the codes that mean "the caller lacks an IAM permission".</summary>
    public bool IsAccessDenied => AwsErrorCodes.AccessDenied.Contains(Code);

    /// <summary>True for the codes that mean "these credentials are wrong or expired".</summary>
    public bool IsCredentialsError => AwsErrorCodes.Credentials.Contains(Code);

    /// <summary>True when trying the same call again may succeed: throttling, HTTP 500/502/503/504, no answer, or a cut-off one.</summary>
    public bool IsRetryable => AwsErrorCodes.IsRetryable(Code, StatusCode);
}
