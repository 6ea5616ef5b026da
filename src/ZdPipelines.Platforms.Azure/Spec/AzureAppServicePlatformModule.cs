using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;
using ZdPipelines.Platforms.Azure.AppService;
using ZdPipelines.Platforms.Azure.Gates;

namespace ZdPipelines.Platforms.Azure.Spec;

/// <summary>platform.type: azureAppService — web apps and their deployment slots, with Azure Monitor gates.</summary>
public sealed class AzureAppServicePlatformModule : IPlatformModule
{
    public const string PlatformType = "azureAppService";

    private const string Path = "platform.azureAppService";

    private static readonly IReadOnlyList<string> Keys =
        ["subscriptionId", "resourceGroup", "app", "apps", "slot", "swapWithPreview", "healthPath", "productionUrl", "previewUrl", "resourceManagerEndpoint", "authorityHost", "credentials", "lease"];

    private static readonly IReadOnlyList<string> CredentialKeys = ["tenantId", "clientId", "clientSecretVariable", "workloadIdentity", "audience"];

    private static readonly IReadOnlyList<string> LeaseKeys = ["blobUrl"];

    private const string BlobUrlExample = "https://stshopdeploy.blob.core.windows.net/zdp-leases/shop-api.lease";

    public string Type => PlatformType;

    public string Description => "an Azure App Service platform";

    public string Example => "azureAppService: { subscriptionId: " + AppServiceNames.SubscriptionExample + ", resourceGroup: rg-shop, app: shop-api, slot: staging }";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(AzureAppServicePlatformModule), "azureAppService.schema.json");

    public IReadOnlyList<IGateSourceModule> GateSources { get; } = [new AzureMonitorGateSourceModule()];

    /// <summary>The keys of each section of the block, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [Path] = Keys,
        [$"{Path}.credentials"] = CredentialKeys,
        [$"{Path}.lease"] = LeaseKeys,
    };

    public PlatformOptions? Bind(SpecMapping platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var block = platform.Mapping(Type, Keys, Example);
        if (block is null)
        {
            return null;
        }

        var credentials = block.Mapping("credentials", CredentialKeys, $"credentials: {{ tenantId: {AppServiceNames.TenantExample}, clientId: {AppServiceNames.ClientExample}, workloadIdentity: true }}");
        var defaults = new AzureCredentialsSpec();
        var lease = block.Mapping("lease", LeaseKeys, $"lease: {{ blobUrl: {BlobUrlExample} }}");
        return new AzureAppServiceOptions
        {
            SubscriptionId = block.Text("subscriptionId", $"add the subscription's id, e.g. subscriptionId: {AppServiceNames.SubscriptionExample} (`az account show --query id`).", required: true) ?? "",
            ResourceGroup = block.Text("resourceGroup", "write the resource group's name, e.g. resourceGroup: rg-shop."),
            App = block.Text("app", "write the web app's name, e.g. app: shop-api."),
            Apps = [.. (block.Texts("apps", "[rg-weu/shop-weu, rg-neu/shop-neu]", "write an app as name or resourceGroup/name, e.g. rg-weu/shop-weu.") ?? []).Select(a => a ?? "")],
            Slot = block.Text("slot", "write the deployment slot's name, e.g. slot: staging.") ?? AzureAppServiceDefaults.Slot,
            SwapWithPreview = block.Flag("swapWithPreview") ?? false,
            HealthPath = block.Text("healthPath", "write a path starting with /, e.g. healthPath: /healthz.") ?? AzureAppServiceDefaults.HealthPath,
            ProductionUrl = block.Text("productionUrl", "write an absolute http(s) URL, e.g. productionUrl: https://shop.example.com."),
            PreviewUrl = block.Text("previewUrl", "write an absolute http(s) URL, e.g. previewUrl: https://staging.shop.example.com."),
            ResourceManagerEndpoint = block.Text("resourceManagerEndpoint", "write an absolute https URL, e.g. resourceManagerEndpoint: https://management.usgovcloudapi.net."),
            AuthorityHost = block.Text("authorityHost", "write an absolute https URL, e.g. authorityHost: https://login.microsoftonline.us."),
            Credentials = credentials is null ? null : new AzureCredentialsSpec
            {
                TenantId = credentials.Text("tenantId", $"write the tenant (directory) id, e.g. tenantId: {AppServiceNames.TenantExample}."),
                ClientId = credentials.Text("clientId", $"write the application (client) id, e.g. clientId: {AppServiceNames.ClientExample}."),
                ClientSecretVariable = credentials.Text("clientSecretVariable", "write the name of the environment variable holding the secret, e.g. clientSecretVariable: AZURE_CLIENT_SECRET."),
                WorkloadIdentity = credentials.Flag("workloadIdentity") ?? false,
                Audience = credentials.Text("audience", "write the audience of the federated credential, e.g. audience: api://AzureADTokenExchange.") ?? defaults.Audience,
            },
            Lease = lease is null ? null : new AzureBlobLeaseSpec
            {
                BlobUrl = lease.Text("blobUrl", $"add the lease blob's URL, e.g. blobUrl: {BlobUrlExample}.", required: true) ?? "",
            },
        };
    }

    public void Validate(PlatformOptions options, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(problems);
        new AzureAppServiceRules((AzureAppServiceOptions)options, spec, problems).Check();
    }

    /// <summary>
    /// Commands that change or plan read every app and slot first (reads only), so a wrong subscription, a missing app or slot,
    /// or a missing role assignment is one message before anything changes; what `zdp plan` should know comes back as notes.
    /// </summary>
    public async Task<OpenedPlatform> OpenAsync(PlatformOpening opening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opening);
        var platform = AppServicePlatform.Connect(opening, Environment.GetEnvironmentVariable);
        try
        {
            var notes = opening.Use == PlatformUse.Journal ? [] : await platform.VerifyAsync(opening.Use, cancellationToken);
            return new OpenedPlatform(platform, notes);
        }
        catch
        {
            platform.Dispose();
            throw;
        }
    }
}
