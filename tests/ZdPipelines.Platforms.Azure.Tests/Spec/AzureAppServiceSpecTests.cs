using ZdPipelines.Cli;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Platforms.Azure.Gates;
using ZdPipelines.Platforms.Azure.Spec;
using static ZdPipelines.Core.Tests.Spec.SpecSamples;

namespace ZdPipelines.Platforms.Azure.Tests.Spec;

public sealed class AzureAppServiceSpecTests
{
    private const string Subscription = "4a3e7c1d-0000-4000-8000-0000000000a1";
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string Client = "0c5e2a7b-1d3f-4e6a-9b8c-7d6e5f4a3b2c";

    /// <summary>Canary on App Service with every key. Line numbers matter: the mistake rows refer to them.</summary>
    private const string AzureCanary = $$"""
        name: shop-api
        platform:
          type: azureAppService
          azureAppService:
            subscriptionId: {{Subscription}}
            resourceGroup: rg-shop
            app: shop-api
            slot: staging
            swapWithPreview: true
            healthPath: /healthz
            productionUrl: https://shop.example.com
            previewUrl: https://staging.shop.example.com
            resourceManagerEndpoint: https://management.usgovcloudapi.net
            authorityHost: https://login.microsoftonline.us
            credentials: { tenantId: {{Tenant}}, clientId: {{Client}}, workloadIdentity: true, audience: api://AzureADTokenExchange }
        strategy:
          canary:
            steps: [ { setWeight: 10 }, { gate: slot-5xx }, { setWeight: 50 }, { gate: latency } ]
        gates:
          - name: slot-5xx
            azureMonitor: { preset: http5xxRate, side: candidate, interval: 1m, window: 5m }
            condition: "< 0.01"
          - name: latency
            azureMonitor: { metric: HttpResponseTime, aggregation: average }
            condition: "< 0.5"

        """;

    private const string AzureRolling = $$"""
        name: shop-api
        platform:
          type: azureAppService
          azureAppService:
            subscriptionId: {{Subscription}}
            resourceGroup: rg-shop
            apps: [rg-weu/shop-weu, shop-neu]
            credentials: { tenantId: {{Tenant}}, clientId: {{Client}}, clientSecretVariable: AZURE_CLIENT_SECRET }
        strategy:
          rolling: { batchSize: 1, maxUnavailable: 1, gates: [errors] }
        gates:
          - name: errors
            azureMonitor: { preset: http5xxRate }
            condition: "< 0.02"

        """;

    private static DeploymentSpecRead Read(string yaml) => new(SpecReader.Read(yaml, "zdp.yml", ZdpModules.All));

    [Fact]
    public void An_app_service_canary_spec_reads_every_key_and_the_azure_monitor_gates()
    {
        var spec = Read(AzureCanary).Valid();

        var block = spec.Platform.OptionsAs<AzureAppServiceOptions>();
        Assert.Equal(
            new AzureAppServiceOptions
            {
                SubscriptionId = Subscription,
                ResourceGroup = "rg-shop",
                App = "shop-api",
                Apps = block.Apps,
                Slot = "staging",
                SwapWithPreview = true,
                HealthPath = "/healthz",
                ProductionUrl = "https://shop.example.com",
                PreviewUrl = "https://staging.shop.example.com",
                ResourceManagerEndpoint = "https://management.usgovcloudapi.net",
                AuthorityHost = "https://login.microsoftonline.us",
                Credentials = new AzureCredentialsSpec { TenantId = Tenant, ClientId = Client, WorkloadIdentity = true, Audience = "api://AzureADTokenExchange" },
            },
            block);
        Assert.Empty(block.Apps);
        Assert.Equal([new AppReference("rg-shop", "shop-api")], block.AppReferences);

        var rate = spec.FindGate("slot-5xx")!.SourceAs<AzureMonitorGateOptions>()!;
        Assert.Equal((AzureMonitorPreset.Http5xxRate, Side.Candidate, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)), (rate.Preset!.Value, rate.Side, rate.Interval, rate.Window));
        Assert.Equal("http5xxRate", rate.RatioName);
        var latency = spec.FindGate("latency")!.SourceAs<AzureMonitorGateOptions>()!;
        Assert.Equal(("HttpResponseTime", AzureMonitorAggregation.Average), (latency.Metric, latency.Aggregation));
    }

    [Fact]
    public void A_rolling_spec_lists_apps_in_their_own_resource_groups_or_the_blocks()
    {
        var spec = Read(AzureRolling).Valid();

        var block = spec.Platform.OptionsAs<AzureAppServiceOptions>();
        Assert.Equal([new AppReference("rg-weu", "shop-weu"), new AppReference("rg-shop", "shop-neu")], block.AppReferences);
        Assert.Equal(AzureAppServiceDefaults.Slot, block.Slot);
        Assert.Equal(AzureAppServiceDefaults.HealthPath, block.HealthPath);
        Assert.Equal("AZURE_CLIENT_SECRET", block.Credentials!.ClientSecretVariable);
        Assert.False(block.Credentials.WorkloadIdentity);
    }

    [Fact]
    public void A_lease_blob_url_binds_to_the_blob_lease_and_without_it_the_lease_is_the_tag()
    {
        var withBlob = Read(With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, shop-neu]\n    lease: { blobUrl: https://stshop.blob.core.windows.net/zdp-leases/shop.lease }"))).Valid();

        Assert.Equal("https://stshop.blob.core.windows.net/zdp-leases/shop.lease", withBlob.Platform.OptionsAs<AzureAppServiceOptions>().Lease?.BlobUrl);
        Assert.Null(Read(AzureRolling).Valid().Platform.OptionsAs<AzureAppServiceOptions>().Lease);
    }

    /// <summary>One mistake per row: the yaml, then the path, line and a fragment of the error it must produce.</summary>
    public static TheoryData<string, string, int, string> Mistakes => new()
    {
        { With(AzureCanary, ("type: azureAppService", "type: azureappservice")), "platform.type", 3, "did you mean 'azureAppService'?" },
        { With(AzureCanary, ($"subscriptionId: {Subscription}", "subscriptionId: Pay-As-You-Go")), "platform.azureAppService.subscriptionId", 5, "is not a subscription id" },
        { With(AzureCanary, ($"    subscriptionId: {Subscription}\n", "")), "platform.azureAppService.subscriptionId", 5, "required field subscriptionId is missing" },
        { With(AzureCanary, ("    resourceGroup: rg-shop\n", "")), "platform.azureAppService.resourceGroup", 5, "required field resourceGroup is missing" },
        { With(AzureCanary, ("resourceGroup: rg-shop", "resourceGroup: rg shop")), "platform.azureAppService.resourceGroup", 6, "is not a resource group name" },
        { With(AzureCanary, ("app: shop-api", "app: shop_api")), "platform.azureAppService.app", 7, "is not a web app name" },
        { With(AzureCanary, ("    app: shop-api\n", "")), "platform.azureAppService.app", 5, "required field app is missing" },
        { With(AzureCanary, ("app: shop-api", "app: shop-api\n    apps: [shop-weu]")), "platform.azureAppService.apps", 8, "both app and apps are set" },
        { With(AzureCanary, ("app: shop-api", "apps: [shop-weu, shop-neu]")), "platform.azureAppService.apps", 7, "deploys one app, and apps lists 2" },
        { With(AzureCanary, ("slot: staging", "slot: production")), "platform.azureAppService.slot", 8, "names production itself" },
        { With(AzureCanary, ("slot: staging", "slot: -staging")), "platform.azureAppService.slot", 8, "is not a slot name" },
        { With(AzureCanary, ("swapWithPreview: true", "swapWithPreview: yes")), "platform.azureAppService.swapWithPreview", 9, "expected true or false" },
        { With(AzureCanary, ("healthPath: /healthz", "healthPath: healthz")), "platform.azureAppService.healthPath", 10, "is not a URL path" },
        { With(AzureCanary, ("productionUrl: https://shop.example.com", "productionUrl: shop.example.com")), "platform.azureAppService.productionUrl", 11, "not an absolute http or https URL" },
        { With(AzureCanary, ("previewUrl:", "previewUlr:")), "platform.azureAppService.previewUlr", 12, "did you mean 'previewUrl'?" },
        { With(AzureCanary, ("resourceManagerEndpoint: https://", "resourceManagerEndpoint: http://")), "platform.azureAppService.resourceManagerEndpoint", 13, "not an absolute https URL" },
        { With(AzureCanary, ("authorityHost: https://login.microsoftonline.us", "authorityHost: login.microsoftonline.us")), "platform.azureAppService.authorityHost", 14, "not an absolute https URL" },
        { With(AzureCanary, ($"tenantId: {Tenant}, ", "")), "platform.azureAppService.credentials.tenantId", 15, "required field tenantId is missing" },
        { With(AzureCanary, ($"clientId: {Client}", "clientId: zdp-deployer")), "platform.azureAppService.credentials.clientId", 15, "is not a client id" },
        { With(AzureCanary, ("workloadIdentity: true", "workloadIdentity: true, clientSecretVariable: AZURE_CLIENT_SECRET")), "platform.azureAppService.credentials.workloadIdentity", 15, "are both set" },
        { With(AzureCanary, ("workloadIdentity: true", "workloadIdentity: false")), "platform.azureAppService.credentials.audience", 15, "workloadIdentity is not set" },
        { With(AzureCanary, ("preset: http5xxRate", "preset: http5xxrate")), "gates[0].azureMonitor.preset", 21, "did you mean 'http5xxRate'?" },
        { With(AzureCanary, ("interval: 1m", "interval: 2m")), "gates[0].azureMonitor.interval", 21, "is not a time grain" },
        { With(AzureCanary, ("window: 5m", "window: 30s")), "gates[0].azureMonitor.window", 21, "shorter than interval" },
        { With(AzureCanary, ("preset: http5xxRate, side: candidate", "side: candidate")), "gates[0].azureMonitor", 21, "needs a preset or a metric" },
        { With(AzureCanary, ("preset: http5xxRate", "preset: http5xxRate, metric: Http5xx")), "gates[0].azureMonitor", 21, "both preset and metric" },
        { With(AzureCanary, ("preset: http5xxRate", "preset: http5xxRate, aggregation: total")), "gates[0].azureMonitor.aggregation", 21, "a preset combines its metrics itself" },
        { With(AzureCanary, ("condition: \"< 0.01\"", "condition: \"< 1.5\"")), "gates[0].condition", 22, "http5xxRate is a ratio from 0 to 1" },
        { With(AzureCanary, ("metric: HttpResponseTime", "metric: \"Http4xx,Http5xx\"")), "gates[1].azureMonitor.metric", 24, "is not one metric name" },
        { With(AzureCanary, ("aggregation: average", "aggregation: p99")), "gates[1].azureMonitor.aggregation", 24, "total" },
        { With(AzureRolling, ("clientSecretVariable: AZURE_CLIENT_SECRET", "clientSecretVariable: \"s3cr3t!\"")), "platform.azureAppService.credentials.clientSecretVariable", 8, "is not an environment variable name" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "app: shop-weu")), "platform.azureAppService.app", 7, "updates several apps one batch at a time" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, rg-neu/shop-weu]")), "platform.azureAppService.apps[1]", 7, "already listed" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, a/b/shop-neu]")), "platform.azureAppService.apps[1]", 7, "more than one '/'" },
        { With(AzureRolling, ("    resourceGroup: rg-shop\n", "")), "platform.azureAppService.apps[1]", 6, "names no resource group" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: []")), "platform.azureAppService.apps", 7, "apps is empty" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, shop-neu]\n    lease: { blobUrl: http://stshop.blob.core.windows.net/zdp-leases/shop.lease }")), "platform.azureAppService.lease.blobUrl", 8, "not an absolute https URL" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, shop-neu]\n    lease: { blobUrl: \"https://stshop.blob.core.windows.net/zdp-leases/shop.lease?sv=2024&sig=abc\" }")), "platform.azureAppService.lease.blobUrl", 8, "a SAS token?" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, shop-neu]\n    lease: { blobUrl: https://stshop.blob.core.windows.net/zdp-leases }")), "platform.azureAppService.lease.blobUrl", 8, "names no container and blob" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, shop-neu]\n    lease: { blobUrl: https://stshop.blob.core.windows.net/Zdp_Leases/shop.lease }")), "platform.azureAppService.lease.blobUrl", 8, "is not a container name" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, shop-neu]\n    lease: { }")), "platform.azureAppService.lease.blobUrl", 8, "required field blobUrl is missing" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, shop-neu]\n    lease: { blobUri: https://stshop.blob.core.windows.net/zdp-leases/shop.lease }")), "platform.azureAppService.lease.blobUri", 8, "did you mean 'blobUrl'?" },
        { With(AzureRolling, ("apps: [rg-weu/shop-weu, shop-neu]", "apps: [rg-weu/shop-weu, shop-neu]\n    swapWithPreview: true")), "platform.azureAppService.swapWithPreview", 8, "applies to one app" },
        { With(AzureRolling, ("gates: [errors] }", "gates: [errors], updateHook: deploy }\nhooks:\n  update: [ { name: deploy, run: ./deploy.sh } ]")), "strategy.rolling.updateHook", 10, "an update hook is not used" },
        { With(Canary, ("metrics: { metric: errorRate, side: candidate, window: 30s }", "azureMonitor: { preset: requests }")), "gates[0].azureMonitor", 19, "needs an Azure App Service platform" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void An_app_service_mistake_is_rejected_at_its_path_and_line(string yaml, string path, int line, string fragment)
    {
        var result = SpecReader.Read(yaml, "zdp.yml", ZdpModules.All);

        Assert.False(result.IsValid);
        Assert.True(result.Errors.Any(e => e.Path == path && e.Line == line && e.ToString().Contains(fragment, StringComparison.Ordinal)),
            string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void Every_app_service_mistake_is_a_single_error_when_alone()
    {
        var cascades = Mistakes
            .Select(row => (Path: (string)row[1], Errors: SpecReader.Read((string)row[0], "zdp.yml", ZdpModules.All).Errors))
            .Where(r => r.Errors.Count != 1)
            .Select(r => $"{r.Path}: {string.Join(" | ", r.Errors)}")
            .ToList();

        Assert.Empty(cascades);
    }

    private sealed class DeploymentSpecRead(Core.Spec.SpecReadResult result)
    {
        public Core.Spec.DeploymentSpec Valid()
        {
            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
            return result.Spec!;
        }
    }
}
