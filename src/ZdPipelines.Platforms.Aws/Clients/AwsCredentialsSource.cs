using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// Where the AWS clients get their credentials, and a <see cref="Description"/> of that place for messages
/// ("AWS rejected the credentials from …"). Resolution is lazy: nothing is read until the first call.
/// </summary>
internal sealed class AwsCredentialsSource
{
    private readonly Func<AwsCredentialsSource, CancellationToken, Task<ImmutableCredentials>> _resolve;
    private readonly Dictionary<string, AwsSecretValue> _secrets = new(StringComparer.Ordinal);
    private readonly List<Action<AwsSecretValue>> _sinks = [];
    private volatile string _description;

    private AwsCredentialsSource(string description, Func<AwsCredentialsSource, CancellationToken, Task<ImmutableCredentials>> resolve)
    {
        _description = description;
        _resolve = resolve;
    }

    /// <summary>
    /// Which credentials are used, e.g. "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (default chain)".
    /// For the default chain this names the link that answered once credentials have been resolved.
    /// </summary>
    public string Description => _description;

    /// <summary>The credentials to sign the next request with; refreshed by the source when they are about to expire.</summary>
    public async Task<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        var credentials = await _resolve(this, cancellationToken);
        Remember(AwsSecretValue.AccessKeyId(credentials.AccessKey));
        Remember(AwsSecretValue.Secret(credentials.SecretKey));
        if (credentials.UseToken)
        {
            Remember(AwsSecretValue.Secret(credentials.Token));
        }

        return credentials;
    }

    /// <summary>
    /// Every credential value this source has handed out or read so far: access key ids, secret keys, session tokens,
    /// web-identity tokens. Refreshed credentials add to it, so a masker should rather <see cref="ReportSecretsTo"/>.
    /// </summary>
    public IReadOnlyCollection<AwsSecretValue> KnownSecrets
    {
        get
        {
            lock (_secrets)
            {
                return [.. _secrets.Values];
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="sink"/> with every credential value known now and with each one learned later (a refresh, a
    /// new web-identity token), so that a product-wide masker can hide them in everything zdp prints and stores.
    /// </summary>
    public void ReportSecretsTo(Action<AwsSecretValue> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        AwsSecretValue[] known;
        lock (_secrets)
        {
            _sinks.Add(sink);
            known = [.. _secrets.Values];
        }

        foreach (var secret in known)
        {
            sink(secret);
        }
    }

    /// <summary><paramref name="text"/> with every credential value this source knows replaced.</summary>
    internal string Mask(string text) => AwsErrorText.Mask(text, KnownSecrets);

    internal void Remember(AwsSecretValue secret)
    {
        if (string.IsNullOrEmpty(secret.Value))
        {
            return;
        }

        Action<AwsSecretValue>[] sinks;
        lock (_secrets)
        {
            if (!_secrets.TryAdd(secret.Value, secret))
            {
                return;
            }

            sinks = [.. _sinks];
        }

        foreach (var sink in sinks)
        {
            sink(secret);
        }
    }

    /// <summary>Fixed keys (a test, or keys the caller read itself).</summary>
    public static AwsCredentialsSource FromKeys(string accessKeyId, string secretAccessKey, string? sessionToken = null, string description = "explicit access keys")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKeyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretAccessKey);
        var credentials = new ImmutableCredentials(accessKeyId, secretAccessKey, sessionToken);
        var source = new AwsCredentialsSource(description, (_, _) => Task.FromResult(credentials));
        source.Remember(AwsSecretValue.AccessKeyId(accessKeyId));
        source.Remember(AwsSecretValue.Secret(secretAccessKey));
        source.Remember(AwsSecretValue.Secret(sessionToken ?? string.Empty));
        return source;
    }

    /// <summary>
    /// AWSSDK.Core's default chain (<see cref="DefaultAWSCredentialsIdentityResolver"/>): environment variables, then
    /// AssumeRoleWithWebIdentity from AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, then the AWS_PROFILE (or default) profile,
    /// then the container credentials endpoint, then the EC2 instance profile. The SDK credentials refresh themselves.
    /// </summary>
    public static AwsCredentialsSource FromDefaultChain()
    {
        var resolver = new DefaultAWSCredentialsIdentityResolver();
        AWSCredentials? resolved = null;
        return new AwsCredentialsSource(
            "the default AWS credential chain (not resolved yet)",
            async (source, cancellationToken) =>
            {
                if (resolved is null)
                {
                    try
                    {
                        resolved = await resolver.ResolveIdentityAsync(null, cancellationToken);
                    }
                    catch (AmazonClientException e)
                    {
                        throw new AwsCredentialsException(
                            "No AWS credentials were found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or "
                            + "AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE (GitHub OIDC), or run where a container or instance role is available. "
                            + $"The SDK said: {e.Message}",
                            e);
                    }

                    source._description = DescribeChainLink(resolved);
                }

                return await resolved.GetCredentialsAsync();
            });
    }

    /// <summary>
    /// Exchanges a web-identity token (e.g. a GitHub Actions OIDC token) for role credentials with STS
    /// AssumeRoleWithWebIdentity (AWSSDK.SecurityToken), unsigned as the SDK does it, and again shortly before they expire.
    /// A token file is read afresh for every exchange, since its writer may rotate it.
    /// </summary>
    public static AwsCredentialsSource FromWebIdentity(WebIdentityCredentialsOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var sessionName = options.RoleSessionName ?? $"zdp-{time.GetUtcNow().ToUnixTimeSeconds()}";
        var tokenOrigin = options.TokenFile is { } file ? $"the token in {file}" : options.TokenProvider is not null ? $"the token from {options.TokenOrigin ?? "the token source"}" : "the given token";
        var endpoint = options.StsEndpointUrl is { } url ? $" at {url}" : string.Empty;
        var description = $"web identity: role {options.RoleArn} assumed with {tokenOrigin} (STS AssumeRoleWithWebIdentity{endpoint})";

        var gate = new SemaphoreSlim(1, 1);
        ImmutableCredentials? current = null;
        DateTimeOffset expires = DateTimeOffset.MinValue;
        var source = new AwsCredentialsSource(
            description,
            async (self, cancellationToken) =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    if (current is null || time.GetUtcNow() >= expires - WebIdentityCredentialsOptions.RefreshBeforeExpiry)
                    {
                        var token = options.Token
                            ?? (options.TokenProvider is { } provider ? await provider(cancellationToken) : (await File.ReadAllTextAsync(options.TokenFile!, cancellationToken)).Trim());
                        self.Remember(AwsSecretValue.Secret(token));
                        (current, expires) = await AssumeRoleWithWebIdentityAsync(options, token, sessionName, tokenOrigin, self, cancellationToken);
                    }

                    return current;
                }
                finally
                {
                    gate.Release();
                }
            });
        source.Remember(AwsSecretValue.Secret(options.Token ?? string.Empty));
        return source;
    }

    private static async Task<(ImmutableCredentials Credentials, DateTimeOffset Expires)> AssumeRoleWithWebIdentityAsync(
        WebIdentityCredentialsOptions options, string token, string sessionName, string tokenOrigin, AwsCredentialsSource source, CancellationToken cancellationToken)
    {
        var config = new AmazonSecurityTokenServiceConfig();
        if (options.StsEndpointUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        // AssumeRoleWithWebIdentity is not signed: the token is the proof (the SDK's own AssumeRoleWithWebIdentityCredentials
        // creates its STS client with AnonymousAWSCredentials too).
        using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), config);
        try
        {
            var response = await sts.AssumeRoleWithWebIdentityAsync(
                new AssumeRoleWithWebIdentityRequest
                {
                    RoleArn = options.RoleArn,
                    RoleSessionName = sessionName,
                    WebIdentityToken = token,
                    DurationSeconds = options.DurationSeconds,
                },
                cancellationToken);
            var credentials = response.Credentials;
            var expires = credentials.Expiration is { } expiration
                ? new DateTimeOffset(DateTime.SpecifyKind(expiration, expiration.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : expiration.Kind))
                : DateTimeOffset.MaxValue;
            return (new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken), expires);
        }
        catch (AmazonServiceException e)
        {
            // STS's own message, cleaned like any AWS error message; the SDK exception is not kept, so its raw text
            // goes nowhere a user or a log sees.
            var message = AwsErrorText.Clean(e.Message, source.KnownSecrets);
            throw new AwsServiceException(
                e.ErrorCode ?? "Unknown",
                message,
                (int)e.StatusCode,
                e.RequestId,
                "AssumeRoleWithWebIdentity",
                "sts",
                $"STS AssumeRoleWithWebIdentity for role {options.RoleArn} with {tokenOrigin} failed: {e.ErrorCode}: {message}. "
                + "Check that the role's trust policy allows this identity provider, audience and subject, and that the token has not expired.",
                null);
        }
        catch (AmazonClientException e)
        {
            var message = AwsErrorText.Clean(e.Message, source.KnownSecrets);
            throw new AwsServiceException(
                AwsServiceException.NoResponseCode,
                message,
                0,
                null,
                "AssumeRoleWithWebIdentity",
                "sts",
                $"STS AssumeRoleWithWebIdentity for role {options.RoleArn} could not be called: {message}",
                null);
        }
    }

    private static string DescribeChainLink(AWSCredentials credentials) => credentials switch
    {
        EnvironmentVariablesAWSCredentials => "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (default chain)",
        AssumeRoleWithWebIdentityCredentials web =>
            $"web identity: role {web.RoleArn} assumed with the token in {web.WebIdentityTokenFile} (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, default chain)",
        GenericContainerCredentials => "the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, default chain)",
        // DefaultInstanceProfileAWSCredentials is internal to the SDK; InstanceProfileAWSCredentials is its public sibling.
        InstanceProfileAWSCredentials => "the EC2 instance profile (instance metadata service, default chain)",
        _ when credentials.GetType().Name == "DefaultInstanceProfileAWSCredentials" => "the EC2 instance profile (instance metadata service, default chain)",
        _ => $"profile '{DefaultAWSCredentialsIdentityResolver.GetProfileName()}' of the shared AWS config and credentials files ({credentials.GetType().Name}, default chain)",
    };
}

/// <summary>No credentials could be found at all; the message lists the places looked at.</summary>
internal sealed class AwsCredentialsException : Exception
{
    public AwsCredentialsException()
    {
    }

    public AwsCredentialsException(string message)
        : base(message)
    {
    }

    public AwsCredentialsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
