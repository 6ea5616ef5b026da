namespace ZdPipelines.Hosts.GitHubActions.Inputs;

/// <summary>What the workflow asked for, as action.yml declares it (every name here is an input there).</summary>
internal sealed record ActionInputs
{
    public static readonly IReadOnlyList<string> Commands = ["deploy", "plan", "promote", "abort", "rollback", "status"];

    /// <summary>What most users of a deployment action want: deploy.</summary>
    public const string DefaultCommand = "deploy";

    /// <summary>The CLI's own default (docs/cli.md), so a repository that runs zdp locally needs no input.</summary>
    public const string DefaultSpec = "zdp.yml";

    public required string Command { get; init; }

    /// <summary>Path of the spec, relative to the workspace (the working directory of the container).</summary>
    public required string Spec { get; init; }

    /// <summary>For the Deployments API; empty when the workflow passed none (then no deployment is recorded).</summary>
    public string? GitHubToken { get; init; }

    /// <summary>The GitHub environment the deployment is recorded under; no deployment is recorded without it.</summary>
    public string? Environment { get; init; }

    /// <summary>The address of the deployed service, shown by GitHub beside the deployment.</summary>
    public string? EnvironmentUrl { get; init; }

    /// <summary>Values for the spec's <c>${NAME}</c> placeholders, from the <c>vars</c> input.</summary>
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();

    /// <summary>Write the job summary (GITHUB_STEP_SUMMARY).</summary>
    public bool Summary { get; init; } = true;

    public AwsAuthInputs? Aws { get; init; }

    public AzureAuthInputs? Azure { get; init; }

    /// <summary>Reads every input; problems go to <see cref="InputReader.Problems"/>, one per bad input.</summary>
    public static ActionInputs Read(InputReader inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var command = inputs.Choice("command", Commands, DefaultCommand);
        var spec = inputs.Optional("spec") ?? DefaultSpec;
        var environmentUrl = inputs.Optional("environment-url");
        if (environmentUrl is not null && !(Uri.TryCreate(environmentUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            inputs.Problem("environment-url", $"is '{environmentUrl}', which is not an absolute http(s) URL", "write the service's address, such as https://shop.example.com.");
        }

        return new ActionInputs
        {
            Command = command,
            Spec = spec,
            GitHubToken = inputs.Optional("github-token"),
            Environment = inputs.Optional("environment"),
            EnvironmentUrl = environmentUrl,
            Vars = SpecVariables.Parse(inputs.Multiline("vars"), inputs),
            Summary = inputs.Boolean("summary", defaultValue: true),
            Aws = AwsAuthInputs.Read(inputs),
            Azure = AzureAuthInputs.Read(inputs),
        };
    }
}

/// <summary>GitHub OIDC into AWS: the role to assume with the job's ID token (audience sts.amazonaws.com).</summary>
internal sealed record AwsAuthInputs(string RoleArn, string Region, string? RoleSessionName)
{
    public static AwsAuthInputs? Read(InputReader inputs)
    {
        var role = inputs.Optional("aws-role-arn");
        var region = inputs.Optional("aws-region");
        var session = inputs.Optional("aws-role-session-name");
        if (role is null)
        {
            if (session is not null)
            {
                inputs.Problem("aws-role-session-name", "is set without aws-role-arn", "set aws-role-arn too, or remove aws-role-session-name.");
            }

            return null;
        }

        if (!role.StartsWith("arn:", StringComparison.Ordinal) || !role.Contains(":role/", StringComparison.Ordinal))
        {
            inputs.Problem("aws-role-arn", $"is '{role}', which is not an IAM role ARN", "write the role's ARN, such as arn:aws:iam::123456789012:role/deploy.");
        }

        if (region is null)
        {
            inputs.Problem("aws-region", "is required with aws-role-arn", "write the region of the role's STS endpoint, such as eu-west-1.");
        }

        return new AwsAuthInputs(role, region ?? "", session);
    }
}

/// <summary>GitHub OIDC into Azure: a federated credential on an app registration (audience api://AzureADTokenExchange).</summary>
internal sealed record AzureAuthInputs(string ClientId, string TenantId, string SubscriptionId)
{
    public static AzureAuthInputs? Read(InputReader inputs)
    {
        string?[] given = [inputs.Optional("azure-client-id"), inputs.Optional("azure-tenant-id"), inputs.Optional("azure-subscription-id")];
        if (given.All(v => v is null))
        {
            return null;
        }

        string[] names = ["azure-client-id", "azure-tenant-id", "azure-subscription-id"];
        for (var i = 0; i < names.Length; i++)
        {
            if (given[i] is null)
            {
                inputs.Problem(names[i], "is required with the other azure-* inputs", "set azure-client-id, azure-tenant-id and azure-subscription-id together.");
            }
            else if (!Guid.TryParse(given[i], out _))
            {
                inputs.Problem(names[i], $"is '{given[i]}', which is not a GUID", "copy the id from the app registration or subscription in the Azure portal.");
            }
        }

        return new AzureAuthInputs(given[0] ?? "", given[1] ?? "", given[2] ?? "");
    }
}
