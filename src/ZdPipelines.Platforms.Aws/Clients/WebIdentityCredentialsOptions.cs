using System.Text.RegularExpressions;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// A role to assume with a web-identity token (GitHub Actions OIDC, EKS service accounts): the role, the token (a file
/// or its text, exactly one), and where STS is. <see cref="Validate"/> checks what STS would reject.
/// </summary>
internal sealed partial record WebIdentityCredentialsOptions
{
    /// <summary>
    /// Credentials are exchanged again when less than this is left: shorter than the shortest session STS grants
    /// (DurationSeconds 900, sts/2011-06-15 model) and longer than one call with all its retries.
    /// </summary>
    public static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromMinutes(5);

    /// <summary>The role to assume, <c>arn:aws:iam::123456789012:role/deploy</c>.</summary>
    public required string RoleArn { get; init; }

    /// <summary>A file holding the token (AWS_WEB_IDENTITY_TOKEN_FILE style); read again at every refresh.</summary>
    public string? TokenFile { get; init; }

    /// <summary>The token itself, e.g. a GitHub OIDC JWT fetched by the caller.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Asked for a token at every exchange (a CI system's ID token source), so a deployment that outlives one token gets
    /// a fresh one instead of presenting an expired JWT to STS; <see cref="TokenOrigin"/> names it in messages.
    /// </summary>
    public Func<CancellationToken, Task<string>>? TokenProvider { get; init; }

    /// <summary>Where <see cref="TokenProvider"/>'s tokens come from, for messages ("GitHub Actions OIDC").</summary>
    public string? TokenOrigin { get; init; }

    /// <summary>The session name shown in CloudTrail; <c>zdp-&lt;unix seconds&gt;</c> when not set. STS: 2-64 of <c>[\w+=,.@-]</c>.</summary>
    public string? RoleSessionName { get; init; }

    /// <summary>Session length; STS's default (3600 s) when not set. STS accepts 900-43200.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>The region whose STS endpoint is called (regional STS endpoints are the SDK v4 default).</summary>
    public required string Region { get; init; }

    /// <summary>Calls STS here instead (moto_server, LocalStack).</summary>
    public Uri? StsEndpointUrl { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RoleArn) || !RoleArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Role ARN '{RoleArn}' is not an ARN such as 'arn:aws:iam::123456789012:role/deploy'.", nameof(RoleArn));
        }

        if ((TokenFile is null ? 0 : 1) + (Token is null ? 0 : 1) + (TokenProvider is null ? 0 : 1) != 1)
        {
            throw new ArgumentException("Give exactly one of a web identity token file, a web identity token and a token provider.", nameof(TokenFile));
        }

        if (TokenFile is not null && !Path.IsPathFullyQualified(TokenFile))
        {
            // The SDK's AssumeRoleWithWebIdentityCredentials has the same rule: a relative path would depend on the working directory.
            throw new ArgumentException($"Web identity token file '{TokenFile}' must be an absolute path.", nameof(TokenFile));
        }

        if (Token is { Length: < 4 or > 20000 })
        {
            throw new ArgumentException("A web identity token is 4 to 20000 characters long (STS WebIdentityToken).", nameof(Token));
        }

        if (RoleSessionName is not null && !SessionNamePattern().IsMatch(RoleSessionName))
        {
            throw new ArgumentException($"Role session name '{RoleSessionName}' must be 2-64 characters of letters, digits and +=,.@_-.", nameof(RoleSessionName));
        }

        if (DurationSeconds is < 900 or > 43200)
        {
            throw new ArgumentException($"DurationSeconds must be between 900 and 43200, not {DurationSeconds}.", nameof(DurationSeconds));
        }

        new AwsClientOptions { Region = Region, EndpointUrl = StsEndpointUrl }.Validate();
    }

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();
}
