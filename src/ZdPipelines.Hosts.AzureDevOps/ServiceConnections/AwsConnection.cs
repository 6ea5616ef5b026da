using ZdPipelines.Hosts.AzureDevOps.Logging;

namespace ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

/// <summary>Where zdp's AWS calls get their credentials, as the AWS Toolkit's service connection describes it.</summary>
internal abstract record AwsCredentials
{
    private AwsCredentials()
    {
    }

    /// <summary>Keys stored in the connection (Access Key ID, Secret Access Key, optionally a session token).</summary>
    public sealed record AccessKeys(string AccessKeyId, string SecretAccessKey, string? SessionToken) : AwsCredentials
    {
        // Records print every property; the secret and the session token must never reach a log.
        public override string ToString() => $"access key {AccessKeyId} (secret {SecretMasker.Mask})";
    }

    /// <summary>
    /// STS AssumeRole into <paramref name="RoleArn"/>, signed with <paramref name="Source"/> keys, or with the agent's own
    /// credentials (instance profile, environment) when the connection holds none.
    /// </summary>
    public sealed record AssumeRole(AccessKeys? Source, string RoleArn, string? RoleSessionName, string? ExternalId) : AwsCredentials;

    /// <summary>STS AssumeRoleWithWebIdentity into <paramref name="RoleArn"/> with an Azure DevOps ID token (the connection's OIDC mode).</summary>
    public sealed record WebIdentity(string RoleArn, string? RoleSessionName, Func<CancellationToken, Task<string>> RequestWebIdentityToken) : AwsCredentials
    {
        public override string ToString() => $"web identity: role {RoleArn} with an Azure DevOps ID token";
    }

    /// <summary>No connection, or one with neither keys nor a role: the agent's own credentials (default chain).</summary>
    public sealed record AgentDefault : AwsCredentials;
}

/// <summary>An AWS service connection (type AWS, from the AWS Toolkit for Azure DevOps), read; nothing has been called yet.</summary>
internal sealed record AwsConnection(string? ConnectionId, AwsCredentials Credentials)
{
    /// <summary>
    /// Reads connection <paramref name="connectionId"/> with the parameter names of the toolkit's
    /// src/lib/awsConnectionParameters.ts: username (access key id), password (secret access key), sessionToken,
    /// assumeRoleArn, roleSessionName, externalId, and OIDC either as useOIDC=true with assumeRoleArn, or (another
    /// version of that file) as the None scheme with the role in <c>role</c>. Null <paramref name="connectionId"/>
    /// means none was chosen. Secrets are registered with <paramref name="masker"/>.
    /// </summary>
    public static AwsConnection Read(TaskEnvironment environment, string? connectionId, Func<OidcTokenClient> oidc, SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(oidc);
        ArgumentNullException.ThrowIfNull(masker);
        if (connectionId is null)
        {
            return new AwsConnection(null, new AwsCredentials.AgentDefault());
        }

        var endpoint = ServiceEndpoint.Find(environment, connectionId)
            ?? throw new ServiceConnectionException(
                $"the agent passed no service connection {connectionId}; check the awsCredentials input names an AWS service connection this pipeline may use.");

        var accessKeyId = endpoint.AuthParameter("username");
        var secret = endpoint.AuthParameter("password");
        var sessionToken = endpoint.AuthParameter("sessionToken");
        masker.Register(secret);
        masker.Register(sessionToken);
        if ((accessKeyId is null) != (secret is null))
        {
            // The toolkit's own rule, with its wording.
            throw new ServiceConnectionException(
                $"service connection {connectionId}: define or omit both \"Access Key ID\" and \"Secret Access Key\", not just one.");
        }

        var keys = accessKeyId is null ? null : new AwsCredentials.AccessKeys(accessKeyId, secret!, sessionToken);
        var roleSessionName = endpoint.AuthParameter("roleSessionName");
        var noneScheme = string.Equals(endpoint.Scheme, "None", StringComparison.OrdinalIgnoreCase);
        var useOidc = noneScheme || string.Equals(endpoint.AuthParameter("useOIDC"), "true", StringComparison.OrdinalIgnoreCase);
        var roleArn = (noneScheme ? endpoint.AuthParameter("role") : null) ?? endpoint.AuthParameter("assumeRoleArn");

        if (useOidc)
        {
            if (roleArn is null)
            {
                throw new ServiceConnectionException(
                    $"service connection {connectionId} uses OIDC but names no role to assume; set the role ARN (Role to Assume) in the connection.");
            }

            var client = new Lazy<OidcTokenClient>(oidc);
            return new AwsConnection(connectionId, new AwsCredentials.WebIdentity(
                roleArn, roleSessionName, cancellationToken => client.Value.RequestIdTokenAsync(connectionId, cancellationToken)));
        }

        AwsCredentials credentials = (keys, roleArn) switch
        {
            (_, not null) => new AwsCredentials.AssumeRole(keys, roleArn, roleSessionName, endpoint.AuthParameter("externalId")),
            (not null, null) => keys,
            (null, null) => new AwsCredentials.AgentDefault(),
        };
        return new AwsConnection(connectionId, credentials);
    }
}
