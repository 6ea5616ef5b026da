using System.Text.RegularExpressions;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// An ARM call that failed: ARM's error <see cref="ErrorCode"/> and message, the HTTP status, which operation on which
/// resource, and the RBAC action it needs. <see cref="Exception.Message"/> is the one line to show a user: what failed, on
/// which resource, and for the errors a user can act on (a missing role, a missing app or slot), what to do.
/// </summary>
/// <remarks>Mirrors Azure.Core's <c>RequestFailedException</c> (<c>Status</c>, <c>ErrorCode</c>), which the official SDKs throw.</remarks>
internal sealed partial class ArmRequestFailedException : Exception
{
    /// <summary>The <see cref="ErrorCode"/> when nothing answered (connection refused or reset, every attempt timed out).</summary>
    public const string NoResponseCode = "NoResponse";

    /// <summary>The <see cref="ErrorCode"/> when the retry budget ran out before an answer.</summary>
    public const string TimeoutCode = "Timeout";

    /// <summary>The <see cref="ErrorCode"/> when a success status came with a body that is not what the description says.</summary>
    public const string InvalidResponseCode = "InvalidResponse";

    /// <summary>ARM's code for a missing role assignment (HTTP 403).</summary>
    public const string AuthorizationFailedCode = "AuthorizationFailed";

    public ArmRequestFailedException()
        : this("an ARM request failed.")
    {
    }

    public ArmRequestFailedException(string message)
        : this(message, null)
    {
    }

    public ArmRequestFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = NoResponseCode;
        ArmMessage = message;
        OperationId = string.Empty;
        Action = string.Empty;
        ResourceId = string.Empty;
    }

    internal ArmRequestFailedException(
        int status, string errorCode, string armMessage, ArmOperationInfo operation, string resourceId, string? requestId, Exception? innerException = null)
        : base(Describe(status, errorCode, armMessage, operation, resourceId), innerException)
    {
        Status = status;
        ErrorCode = errorCode;
        ArmMessage = armMessage;
        OperationId = operation.OperationId;
        Action = operation.Action;
        ResourceId = resourceId;
        RequestId = requestId;
    }

    /// <summary>
    /// The HTTP status of the answer; 0 when there was none, or when a long-running operation reported its failure in its
    /// <c>Azure-AsyncOperation</c> status resource.
    /// </summary>
    public int Status { get; }

    /// <summary>ARM's <c>error.code</c>, e.g. <c>AuthorizationFailed</c>, <c>ResourceNotFound</c>; or one of the codes above.</summary>
    public string ErrorCode { get; }

    /// <summary>ARM's <c>error.message</c> exactly as sent.</summary>
    public string ArmMessage { get; }

    /// <summary>The Swagger operation, e.g. <c>WebApps_SwapSlotSlot</c>.</summary>
    public string OperationId { get; }

    /// <summary>The RBAC action the operation needs, e.g. <c>Microsoft.Web/sites/slots/slotsswap/action</c>.</summary>
    public string Action { get; }

    /// <summary>The resource the call was about (the site, slot or tag scope).</summary>
    public string ResourceId { get; }

    /// <summary>ARM's <c>x-ms-request-id</c>, for a support ticket.</summary>
    public string? RequestId { get; }

    public bool IsAuthorizationFailed => Status == 403 || ErrorCode == AuthorizationFailedCode;

    public bool IsNotFound => Status == 404;

    /// <summary>
    /// The scope a 403 names: ARM's AuthorizationFailed message says "… over scope '&lt;scope&gt;' …"; otherwise the resource.
    /// </summary>
    public string Scope => ScopeInMessage().Match(ArmMessage) is { Success: true } m ? m.Groups[1].Value : ResourceId;

    /// <summary>The action a 403 names: ARM's message says "… perform action '&lt;action&gt;' …"; otherwise the operation's own.</summary>
    public string DeniedAction => ActionInMessage().Match(ArmMessage) is { Success: true } m ? m.Groups[1].Value : Action;

    private static string Describe(int status, string code, string armMessage, ArmOperationInfo operation, string resourceId)
    {
        if (status == 403 || code == AuthorizationFailedCode)
        {
            var scope = ScopeInMessage().Match(armMessage) is { Success: true } s ? s.Groups[1].Value : resourceId;
            var action = ActionInMessage().Match(armMessage) is { Success: true } a ? a.Groups[1].Value : operation.Action;
            return $"the Azure identity zdp runs as may not perform '{action}' on scope '{scope}' (ARM {code}, HTTP 403). "
                + $"Fix: assign it a role that grants '{action}' at that scope or above (docs/azure.md lists a least-privilege role), "
                + "then retry; new role assignments can take a few minutes to apply.";
        }

        var what = status == 0 ? code : $"HTTP {status} {code}";
        var hint = status == 404 ? " Fix: check the subscription, resource group and app (and slot) names in the spec." : "";
        return $"ARM {operation.OperationId} on '{resourceId}' failed: {what}: {armMessage}{hint}";
    }

    // "The client '…' with object id '…' does not have authorization to perform action 'X' over scope 'Y' or the scope is invalid."
    [GeneratedRegex("over scope '([^']+)'")]
    private static partial Regex ScopeInMessage();

    [GeneratedRegex("perform action '([^']+)'")]
    private static partial Regex ActionInMessage();
}
