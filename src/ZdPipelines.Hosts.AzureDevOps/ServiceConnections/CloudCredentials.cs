using ZdPipelines.Core.Modules;
using ZdPipelines.Hosts.AzureDevOps.Inputs;
using ZdPipelines.Hosts.AzureDevOps.Logging;

namespace ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

/// <summary>
/// The chosen service connection turned into what the platform modules read, without a secret on any command line:
/// the SDK default chains' environment variables in this process (the platforms run in it; the Azure App Service
/// platform and the AWS ALB platform both fall back to their default chain when the spec has no credentials block),
/// a federated token file that is kept fresh, and the connection's ID tokens as HostOptions.IdTokens for a spec that
/// asks for federation itself (<c>workloadIdentity: true</c>).
/// </summary>
/// <remarks>
/// Azure: AZURE_TENANT_ID and AZURE_CLIENT_ID, with AZURE_CLIENT_SECRET (EnvironmentCredential) or
/// AZURE_FEDERATED_TOKEN_FILE (WorkloadIdentityCredential), and AZURE_AUTHORITY_HOST for a sovereign cloud.
/// AWS: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE
/// for the connection's OIDC mode; AWS_REGION from the awsRegion input. Variables of the other kind are removed, since
/// each chain takes the first kind it finds and an agent may have its own set.
/// </remarks>
internal sealed class CloudCredentials : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private CloudCredentials()
    {
    }

    /// <summary>The connection's ID tokens when it federates; null for keys, secrets and the agent's own credentials.</summary>
    public IIdTokenSource? IdTokens { get; private set; }

    public static CloudCredentials None { get; } = new();

    /// <param name="privateDirectory">Readable by this user only (mode 0700); the token file goes there.</param>
    /// <param name="setVariable">Sets (or, with null, removes) a variable of this process's environment.</param>
    public static async Task<CloudCredentials> ApplyAsync(
        ZdpTaskInputs inputs,
        TaskEnvironment environment,
        HttpClient http,
        SecretMasker masker,
        string privateDirectory,
        TimeProvider time,
        Action<string, string?> setVariable,
        LoggingCommandWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(setVariable);
        ArgumentNullException.ThrowIfNull(log);
        OidcTokenClient Oidc() => OidcTokenClient.FromEnvironment(environment, http, masker);
        var credentials = new CloudCredentials();
        try
        {
            switch (inputs.Cloud)
            {
                case CloudConnection.Azure:
                    await credentials.ApplyAzureAsync(AzureRmConnection.Read(environment, inputs.AzureConnectionId!, Oidc, masker), Oidc, privateDirectory, time, setVariable, log, cancellationToken);
                    break;
                case CloudConnection.Aws:
                    await credentials.ApplyAwsAsync(AwsConnection.Read(environment, inputs.AwsConnectionId, Oidc, masker), inputs.AwsRegion, Oidc, privateDirectory, time, setVariable, log, environment, cancellationToken);
                    break;
            }
        }
        catch
        {
            await credentials.DisposeAsync();
            throw;
        }

        return credentials;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        _owned.Clear();
        (IdTokens as IDisposable)?.Dispose();
    }

    private async Task ApplyAzureAsync(AzureRmConnection azure, Func<OidcTokenClient> oidc, string privateDirectory, TimeProvider time, Action<string, string?> set, LoggingCommandWriter log, CancellationToken cancellationToken)
    {
        log.Line($"Azure connection {azure.ConnectionId}: tenant {azure.TenantId}, client {azure.ClientId}, subscription {azure.SubscriptionId ?? "(none)"}, {azure.Credential}.");
        set("AZURE_TENANT_ID", azure.TenantId);
        set("AZURE_CLIENT_ID", azure.ClientId);
        set("AZURE_CLIENT_CERTIFICATE_PATH", null);
        set("AZURE_USERNAME", null);
        set("AZURE_AUTHORITY_HOST", azure.AuthorityHost == AzureRmConnection.PublicCloudAuthority ? null : azure.AuthorityHost.AbsoluteUri);
        switch (azure.Credential)
        {
            case AzureClientCredential.ClientSecret secret:
                set("AZURE_CLIENT_SECRET", secret.Secret);
                set("AZURE_FEDERATED_TOKEN_FILE", null);
                break;
            case AzureClientCredential.FederatedIdToken:
                var tokens = new AzureDevOpsIdTokenSource(oidc(), azure.ConnectionId, time);
                IdTokens = tokens;
                var file = await FederatedTokenFile.CreateAsync(Path.Combine(privateDirectory, "azure-federated-token.jwt"), tokens, time, cancellationToken);
                _owned.Add(file);
                set("AZURE_CLIENT_SECRET", null);
                set("AZURE_FEDERATED_TOKEN_FILE", file.Path);
                break;
        }
    }

    private async Task ApplyAwsAsync(AwsConnection aws, string? region, Func<OidcTokenClient> oidc, string privateDirectory, TimeProvider time, Action<string, string?> set, LoggingCommandWriter log, TaskEnvironment environment, CancellationToken cancellationToken)
    {
        log.Line($"AWS credentials: {aws.Credentials switch { AwsCredentials.AgentDefault => "the agent's own (default chain)", var other => other.ToString() }}.");
        if (region is not null)
        {
            set("AWS_REGION", region);
            set("AWS_DEFAULT_REGION", region);
        }

        switch (aws.Credentials)
        {
            case AwsCredentials.AccessKeys keys:
                set("AWS_ACCESS_KEY_ID", keys.AccessKeyId);
                set("AWS_SECRET_ACCESS_KEY", keys.SecretAccessKey);
                set("AWS_SESSION_TOKEN", keys.SessionToken);
                break;
            case AwsCredentials.WebIdentity web:
                var tokens = new AzureDevOpsIdTokenSource(oidc(), aws.ConnectionId!, time);
                IdTokens = tokens;
                var file = await FederatedTokenFile.CreateAsync(Path.Combine(privateDirectory, "aws-web-identity-token.jwt"), tokens, time, cancellationToken);
                _owned.Add(file);
                set("AWS_ACCESS_KEY_ID", null);
                set("AWS_SECRET_ACCESS_KEY", null);
                set("AWS_SESSION_TOKEN", null);
                set("AWS_ROLE_ARN", web.RoleArn);
                set("AWS_WEB_IDENTITY_TOKEN_FILE", file.Path);
                set("AWS_ROLE_SESSION_NAME", web.RoleSessionName ?? $"zdp-{environment.Get("BUILD_BUILDID") ?? "azure-pipelines"}");
                break;
            case AwsCredentials.AssumeRole:
                throw new ServiceConnectionException(
                    $"service connection {aws.ConnectionId} assumes a role with access keys or the agent's credentials, which zdp's AWS platform cannot do from a connection yet; " +
                    "use the connection's OIDC mode (recommended) or plain access keys.");
        }
    }
}
