namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>Which AWS error codes are retried, and which become a permissions or a credentials message.</summary>
internal static class AwsErrorCodes
{
    /// <summary>
    /// Throttling codes that are retried. ELB answers <c>ThrottlingException</c> ("Rate exceeded", ELB guide
    /// elb-api-throttling.html); Query services also use <c>Throttling</c> and EC2-style APIs <c>RequestLimitExceeded</c>.
    /// botocore's retries/standard.py <c>_THROTTLED_ERROR_CODES</c> holds all three.
    /// </summary>
    public static readonly IReadOnlySet<string> Throttling = new HashSet<string>(StringComparer.Ordinal)
    {
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
    };

    /// <summary>HTTP statuses retried whatever the code: botocore's <c>_TRANSIENT_STATUS_CODES</c> (retries/standard.py).</summary>
    public static readonly IReadOnlySet<int> TransientStatusCodes = new HashSet<int> { 500, 502, 503, 504 };

    /// <summary>"Not allowed by IAM": <c>AccessDenied</c> (Query services), <c>AccessDeniedException</c>, <c>UnauthorizedOperation</c> (EC2).</summary>
    public static readonly IReadOnlySet<string> AccessDenied = new HashSet<string>(StringComparer.Ordinal)
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
    };

    /// <summary>
    /// "These credentials are not valid": unknown key (<c>InvalidClientTokenId</c>), wrong secret (<c>SignatureDoesNotMatch</c>),
    /// expired session (<c>ExpiredToken</c>, <c>ExpiredTokenException</c>), and the AWS common errors for missing or
    /// unrecognised credentials (ELB API reference, CommonErrors.html).
    /// </summary>
    public static readonly IReadOnlySet<string> Credentials = new HashSet<string>(StringComparer.Ordinal)
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "UnrecognizedClientException",
        "MissingAuthenticationToken",
    };

    public static bool IsRetryable(string code, int statusCode) =>
        Throttling.Contains(code) || TransientStatusCodes.Contains(statusCode) || code is AwsServiceException.NoResponseCode or AwsServiceException.InvalidResponseCode;

    /// <summary>The one line a user reads: what failed, on what, and for permission and credential errors what to change.</summary>
    public static string Describe(
        string code, string serviceMessage, int statusCode, string? requestId, AwsQueryService service, string action, string resource, string credentials)
    {
        var permission = $"{service.IamPrefix}:{action}";
        var trailer = requestId is null ? $"(HTTP {statusCode})" : $"(HTTP {statusCode}, request id {requestId})";
        if (AccessDenied.Contains(code))
        {
            return $"AWS denied {permission} on {resource} to the credentials from {credentials}: {code}: {serviceMessage} {trailer}. "
                + $"The IAM policy of that identity needs to allow \"{permission}\" on {resource}.";
        }

        if (Credentials.Contains(code))
        {
            return $"AWS rejected the credentials from {credentials} when calling {permission}: {code}: {serviceMessage} {trailer}. "
                + "Check that the access key exists and is active, that the secret matches it, and that a session token has not expired; "
                + "refresh them where they were read from.";
        }

        return $"{permission} on {resource} failed: {code}: {serviceMessage} {trailer}.";
    }
}
