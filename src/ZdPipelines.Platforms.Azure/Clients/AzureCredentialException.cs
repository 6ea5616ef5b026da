using System.Text.RegularExpressions;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// Entra ID did not issue a token for the ARM call: wrong secret, no matching federated credential, unknown app or tenant, or
/// no credential in the default chain. <see cref="Exception.Message"/> is one line naming the credential and Entra ID's reason.
/// </summary>
internal sealed partial class AzureCredentialException : Exception
{
    public AzureCredentialException()
        : this("Entra ID did not issue a token.")
    {
    }

    public AzureCredentialException(string message)
        : this(message, null)
    {
    }

    public AzureCredentialException(string message, Exception? innerException)
        : base(message, innerException)
    {
        EntraErrorCode = null;
    }

    internal AzureCredentialException(string credentialDescription, string operationId, Exception innerException)
        : base(Describe(credentialDescription, operationId, Messages(innerException)), innerException)
    {
        EntraErrorCode = AadstsCode().Match(Messages(innerException)) is { Success: true } m ? m.Groups[1].Value : null;
    }

    /// <summary>The <c>AADSTS…</c> code Entra ID answered with, when there was one (e.g. <c>AADSTS7000215</c>: invalid client secret).</summary>
    public string? EntraErrorCode { get; }

    // Azure.Identity wraps MSAL's exception, whose message holds Entra ID's answer ("… Original exception: AADSTS…").
    private static string Messages(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join("\n", messages);
    }

    private static string Describe(string credential, string operationId, string inner)
    {
        // Azure.Identity's messages run over several lines (troubleshooting links, trace ids); the AADSTS line is the reason.
        var reason = AadstsLine().Match(inner) is { Success: true } m ? m.Value.Trim() : inner.Split('\n')[0].Trim();
        return $"Entra ID did not issue a token to the {credential} for ARM {operationId}: {reason} "
            + "Fix: check the tenant and client id, the secret or the federated credential's issuer, subject and audience.";
    }

    [GeneratedRegex("(AADSTS\\d+)")]
    private static partial Regex AadstsCode();

    [GeneratedRegex("AADSTS\\d+:[^\\r\\n]*?(?=\\s*Trace ID|\\r|\\n|$)")]
    private static partial Regex AadstsLine();
}
