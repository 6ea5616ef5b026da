using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;
using ZdPipelines.Platforms.Aws.Alb;
using ZdPipelines.Platforms.Aws.Gates;

namespace ZdPipelines.Platforms.Aws.Spec;

/// <summary>platform.type: awsAlb — an Application Load Balancer listener or rule, with CloudWatch and alarm gates.</summary>
public sealed partial class AwsAlbPlatformModule : IPlatformModule
{
    public const string PlatformType = "awsAlb";

    private const string Path = "platform.awsAlb";

    private static readonly IReadOnlyList<string> Keys =
        ["region", "endpointUrl", "listenerArn", "ruleArn", "targetGroupArns", "previewListenerArn", "previewRuleArn", "previewUrl", "credentials"];

    private static readonly IReadOnlyList<string> CredentialKeys = ["roleArn", "webIdentityTokenFile", "roleSessionName", "githubOidc"];

    public string Type => PlatformType;

    public string Description => "an AWS platform";

    public string Example => "awsAlb: { region: eu-west-1, listenerArn: " + ElbArns.Listener + ", targetGroupArns: [<blue ARN>, <green ARN>] }";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(AwsAlbPlatformModule), "awsAlb.schema.json");

    public IReadOnlyList<IGateSourceModule> GateSources { get; } = [new CloudWatchGateSourceModule(), new AlarmGateSourceModule()];

    /// <summary>The keys of each section of the block, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [Path] = Keys,
        [$"{Path}.credentials"] = CredentialKeys,
    };

    public PlatformOptions? Bind(SpecMapping platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var alb = platform.Mapping(Type, Keys, Example);
        if (alb is null)
        {
            return null;
        }

        var credentials = alb.Mapping("credentials", CredentialKeys, $"credentials: {{ roleArn: {ElbArns.Role}, githubOidc: true }}");
        return new AwsAlbPlatformOptions
        {
            Region = alb.Text("region", "add the load balancer's region, e.g. region: eu-west-1.", required: true) ?? "",
            EndpointUrl = alb.Text("endpointUrl", "write an absolute http(s) URL, e.g. endpointUrl: http://127.0.0.1:5000."),
            ListenerArn = ReadArn(alb, "listenerArn", ElbResource.Listener, required: true) ?? "",
            RuleArn = ReadArn(alb, "ruleArn", ElbResource.Rule),
            TargetGroupArns = [.. (alb.Texts("targetGroupArns", "[<blue target group ARN>, <green target group ARN>]", $"write a target group ARN, e.g. {ElbArns.TargetGroup}.") ?? []).Select(a => a ?? "")],
            PreviewListenerArn = ReadArn(alb, "previewListenerArn", ElbResource.Listener),
            PreviewRuleArn = ReadArn(alb, "previewRuleArn", ElbResource.Rule),
            PreviewUrl = alb.Text("previewUrl", "write an absolute http(s) URL, e.g. previewUrl: https://shop.example.com:8443."),
            Credentials = credentials is null ? null : new AwsCredentialsSpec
            {
                RoleArn = credentials.Text("roleArn", $"write the ARN of the role to assume, e.g. roleArn: {ElbArns.Role}."),
                WebIdentityTokenFile = credentials.Text("webIdentityTokenFile", "write the absolute path of the token file, e.g. webIdentityTokenFile: /var/run/secrets/token."),
                RoleSessionName = credentials.Text("roleSessionName", "write 2 to 64 letters, digits or +=,.@_-, e.g. roleSessionName: zdp-deploy."),
                GithubOidc = credentials.Flag("githubOidc") ?? false,
            },
        };
    }

    private static string? ReadArn(SpecMapping alb, string key, ElbResource kind, bool required = false) =>
        alb.Text(key, $"write the {ElbArns.Describe(kind)} ARN, e.g. {key}: {ElbArns.Example(kind)}.", required);

    public void Validate(PlatformOptions options, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(problems);
        var alb = (AwsAlbPlatformOptions)options;
        new AwsAlbRules(alb, spec, problems).Check();
    }

    /// <summary>
    /// Commands that change or plan check the listener, rule and target groups first, with reads only, so a wrong ARN,
    /// a missing target group or missing permissions is one message before anything changes.
    /// </summary>
    public async Task<OpenedPlatform> OpenAsync(PlatformOpening opening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opening);
        var platform = AlbPlatform.Connect(opening.Spec, opening.Time, null, opening.IdTokens, opening.RegisterSecret);
        try
        {
            if (opening.Use != PlatformUse.Journal)
            {
                await platform.VerifyAsync(cancellationToken);
            }

            return new OpenedPlatform(platform);
        }
        catch
        {
            platform.Dispose();
            throw;
        }
    }
}
