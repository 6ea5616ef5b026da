using ZdPipelines.Core.Modules;
using ZdPipelines.Hosts.GitHubActions.Inputs;

namespace ZdPipelines.Hosts.GitHubActions.Oidc;

/// <summary>
/// The aws-role-arn input, as AWSSDK.Core's default credential chain reads a web identity (AWS_ROLE_ARN +
/// AWS_WEB_IDENTITY_TOKEN_FILE, AssumeRoleWithWebIdentity; the SDK re-reads the file at every refresh). The job's ID
/// token for sts.amazonaws.com is written to a private file; a platform whose credentials the hosting layer wires
/// to <see cref="IIdTokenSource"/> directly will not need the file.
/// </summary>
internal static class AwsWebIdentity
{
    public static async Task<string> ConfigureAsync(AwsAuthInputs aws, IIdTokenSource tokens, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(tokens);
        var token = await tokens.GetTokenAsync(IdTokenAudiences.Aws, cancellationToken);
        var file = Path.Combine(directory, "aws-web-identity-token");
        await File.WriteAllTextAsync(file, token, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Environment.SetEnvironmentVariable("AWS_ROLE_ARN", aws.RoleArn);
        Environment.SetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE", file);
        Environment.SetEnvironmentVariable("AWS_REGION", aws.Region);
        Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", aws.Region);
        if (aws.RoleSessionName is { } session)
        {
            Environment.SetEnvironmentVariable("AWS_ROLE_SESSION_NAME", session);
        }

        return file;
    }
}
