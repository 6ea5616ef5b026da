using ZdPipelines.Cli;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Hosting;
using ZdPipelines.Hosts.AzureDevOps.Inputs;
using ZdPipelines.Hosts.AzureDevOps.Logging;
using ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

namespace ZdPipelines.Hosts.AzureDevOps;

/// <summary>
/// What zdp-task runs until src/ZdPipelines.Hosting exists: the task's inputs and service connections turned into
/// one in-process run of the zdp command line (<see cref="ZdpApp.RunAsync"/>, so no command line and no secret in a
/// process list). Spec errors become task.logissue lines with file, line and column; AWS credentials reach the CLI's
/// default credential chain through this process's environment. The hosting layer replaces this class: it runs the
/// command itself and turns engine events into groups, progress, output variables and the summary.
/// </summary>
internal sealed class CliTaskRunner(TaskEnvironment environment, TextWriter stdout, TextWriter stderr, HttpClient http)
{
    private readonly LoggingCommandWriter _commands = new(stdout);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var masker = new SecretMasker(_commands);
        ZdpTaskInputs inputs;
        try
        {
            inputs = ZdpTaskInputs.Read(environment);
        }
        catch (TaskInputProblems problems)
        {
            foreach (var problem in problems.Problems)
            {
                _commands.LogIssue(IssueType.Error, problem.Message);
            }

            return Finish(ExitCodes.InvalidInput);
        }

        if (inputs.SpecVariables.Count > 0)
        {
            _commands.LogIssue(IssueType.Error,
                $"input '{ZdpTaskInputs.VariablesInput}': this version of the task cannot put values into the spec yet; leave it empty and write the values into the spec.");
            return Finish(ExitCodes.InvalidInput);
        }

        string? tokenFile = null;
        try
        {
            try
            {
                tokenFile = await ApplyConnectionAsync(inputs, masker, cancellationToken);
            }
            catch (ServiceConnectionException e)
            {
                _commands.LogIssue(IssueType.Error, e.Message);
                return Finish(ExitCodes.InvalidInput);
            }

            if (!await SpecIsValidAsync(inputs.SpecPath, cancellationToken))
            {
                return Finish(ExitCodes.InvalidInput);
            }

            string[] arguments = [inputs.Command.ToString().ToLowerInvariant(), "--file", inputs.SpecPath, "--output", inputs.Output == LogFormat.Json ? "json" : "plain"];
            return Finish(await ZdpApp.RunAsync(arguments, stdout, stderr, cancellationToken));
        }
        finally
        {
            if (tokenFile is not null)
            {
                File.Delete(tokenFile);
            }
        }
    }

    /// <summary>zdp's exit-code names, which the task's <c>outcome</c> output variable carries (task.json).</summary>
    public static string OutcomeName(int exitCode) => exitCode switch
    {
        ExitCodes.Success => "success",
        ExitCodes.RolledBack => "rolledBack",
        ExitCodes.InvalidInput => "invalidInput",
        ExitCodes.PlatformError => "platformError",
        ExitCodes.Cancelled => "cancelled",
        ExitCodes.Refused => "refused",
        _ => "platformError",
    };

    private int Finish(int exitCode)
    {
        _commands.SetOutputVariable("outcome", OutcomeName(exitCode));
        return exitCode;
    }

    /// <summary>Reads the chosen service connection and hands it to the CLI; returns a file to delete afterwards, if any.</summary>
    private async Task<string?> ApplyConnectionAsync(ZdpTaskInputs inputs, SecretMasker masker, CancellationToken cancellationToken)
    {
        OidcTokenClient Oidc() => OidcTokenClient.FromEnvironment(environment, http, masker);
        switch (inputs.Cloud)
        {
            case CloudConnection.Azure:
                var azure = AzureRmConnection.Read(environment, inputs.AzureConnectionId!, Oidc, masker);
                await stdout.WriteLineAsync($"Azure connection {azure.ConnectionId}: tenant {azure.TenantId}, client {azure.ClientId}, subscription {azure.SubscriptionId ?? "(none)"}, {azure.Credential}.");
                _commands.LogIssue(IssueType.Warning, "no platform of this zdp version signs in to Azure, so the Azure connection was read and checked but is not used.");
                return null;
            case CloudConnection.Aws:
                var aws = AwsConnection.Read(environment, inputs.AwsConnectionId, Oidc, masker);
                if (inputs.AwsRegion is { } region)
                {
                    Environment.SetEnvironmentVariable("AWS_REGION", region);
                    Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", region);
                }

                await stdout.WriteLineAsync($"AWS credentials: {aws.Credentials switch { AwsCredentials.AgentDefault => "the agent's own (default chain)", var other => other.ToString() }}.");
                return await ApplyAwsCredentialsAsync(aws, cancellationToken);
            default:
                return null;
        }
    }

    // The CLI's AWS platform reads the SDK's default credential chain, which starts with these variables. They are
    // set in this process only: the CLI runs in it, and nothing here starts another program with them.
    private async Task<string?> ApplyAwsCredentialsAsync(AwsConnection aws, CancellationToken cancellationToken)
    {
        switch (aws.Credentials)
        {
            case AwsCredentials.AccessKeys keys:
                Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", keys.AccessKeyId);
                Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", keys.SecretAccessKey);
                Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", keys.SessionToken);
                return null;
            case AwsCredentials.WebIdentity web:
                var token = await web.RequestWebIdentityToken(cancellationToken);
                var directory = environment.Get("AGENT_TEMPDIRECTORY") ?? Path.GetTempPath();
                var file = Path.Combine(directory, $"zdp-web-identity-{Guid.NewGuid():N}.jwt");
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using (var writer = new StreamWriter(file, options))
                {
                    await writer.WriteAsync(token);
                }

                Environment.SetEnvironmentVariable("AWS_ROLE_ARN", web.RoleArn);
                Environment.SetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE", file);
                Environment.SetEnvironmentVariable("AWS_ROLE_SESSION_NAME", web.RoleSessionName ?? $"zdp-{environment.Get("BUILD_BUILDID") ?? "azure-pipelines"}");
                return file;
            case AwsCredentials.AssumeRole:
                throw new ServiceConnectionException(
                    $"service connection {aws.ConnectionId} assumes a role with access keys or the agent's credentials, which this version of the task cannot do yet; use its OIDC mode or plain access keys.");
            default:
                return null;
        }
    }

    private async Task<bool> SpecIsValidAsync(string specPath, CancellationToken cancellationToken)
    {
        var result = SpecReader.Read(await File.ReadAllTextAsync(specPath, cancellationToken), specPath, ZdpModules.All);
        foreach (var error in result.Errors)
        {
            var where = error.Path.Length == 0 ? "" : $"{error.Path}: ";
            var fix = error.Fix.Length == 0 ? "" : $" Fix: {error.Fix}";
            _commands.LogIssue(IssueType.Error, $"{where}{error.Message}{fix}", new SourceLocation(error.File, error.Line, error.Column), "zdp-spec");
        }

        if (result.Errors.Count > 0)
        {
            await stdout.WriteLineAsync($"{result.Errors.Count} problem(s) with the spec {specPath}; nothing was changed.");
        }

        return result.IsValid;
    }
}
