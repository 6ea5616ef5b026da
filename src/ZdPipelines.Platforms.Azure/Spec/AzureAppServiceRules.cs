using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Validation;

namespace ZdPipelines.Platforms.Azure.Spec;

/// <summary>The azureAppService block's rules: Azure name shapes, one app or a list, the slot, URLs, credentials, and the fit to the strategy.</summary>
internal sealed class AzureAppServiceRules(AzureAppServiceOptions block, DeploymentSpec spec, SpecProblems problems)
{
    private const string Path = "platform.azureAppService";

    public void Check()
    {
        CheckSubscription();
        CheckResourceGroup();
        CheckApps();
        CheckSlot();
        CheckPaths();
        CheckCredentials();
        CheckLease();
        CheckStrategy();
    }

    private void CheckSubscription()
    {
        var path = $"{Path}.subscriptionId";
        if (!problems.IsUnreadable(path) && block.SubscriptionId.Length > 0 && !AppServiceNames.Guid().IsMatch(block.SubscriptionId))
        {
            problems.Add(path, $"'{block.SubscriptionId}' is not a subscription id.",
                $"write the subscription's id, a GUID such as {AppServiceNames.SubscriptionExample} (`az account show --query id`), not its display name.");
        }
    }

    private void CheckResourceGroup()
    {
        var path = $"{Path}.resourceGroup";
        if (!problems.IsUnreadable(path) && block.ResourceGroup is { } group && !AppServiceNames.ResourceGroup().IsMatch(group))
        {
            problems.Add(path, $"'{group}' is not a resource group name.", "use 1 to 90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.', e.g. resourceGroup: rg-shop.");
        }
    }

    private void CheckApps()
    {
        var appPath = $"{Path}.app";
        var appsPath = $"{Path}.apps";
        if (problems.IsUnreadable(appPath) || problems.IsReported(appsPath))
        {
            return;
        }

        if (block.App is not null && (block.Apps.Count > 0 || problems.IsWritten(appsPath)))
        {
            problems.AddAtKey(appsPath, "both app and apps are set.", "keep app: for one app (blueGreen, canary), or apps: [...] for the apps a rolling deployment updates.");
            return;
        }

        if (block.App is { } app)
        {
            CheckAppName(appPath, app);
            if (block.ResourceGroup is null && !problems.IsUnreadable($"{Path}.resourceGroup"))
            {
                problems.AddMissing($"{Path}.resourceGroup", "add the app's resource group, e.g. resourceGroup: rg-shop.");
            }

            return;
        }

        if (block.Apps.Count == 0)
        {
            if (problems.IsWritten(appsPath))
            {
                problems.Add(appsPath, "apps is empty.", "list the apps to update, e.g. apps: [rg-weu/shop-weu, rg-neu/shop-neu].");
            }
            else
            {
                problems.AddMissing(appPath, "add the web app, e.g. app: shop-api (or, for rolling across apps, apps: [rg-weu/shop-weu, rg-neu/shop-neu]).");
            }

            return;
        }

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < block.Apps.Count; i++)
        {
            var itemPath = SpecPaths.Item(appsPath, i);
            if (problems.IsUnreadable(itemPath))
            {
                continue;
            }

            var reference = AppReference.Parse(block.Apps[i]);
            if (block.Apps[i].Count(c => c == '/') > 1)
            {
                problems.Add(itemPath, $"'{block.Apps[i]}' has more than one '/'.", "write an app as name or resourceGroup/name, e.g. rg-weu/shop-weu.");
                continue;
            }

            if (block.Apps[i].Contains('/', StringComparison.Ordinal) && !AppServiceNames.ResourceGroup().IsMatch(reference.ResourceGroup))
            {
                problems.Add(itemPath, $"'{reference.ResourceGroup}' is not a resource group name.", "write resourceGroup/name with a group of 1 to 90 letters, digits, '_', '-', '.', '(' and ')', e.g. rg-weu/shop-weu.");
                continue;
            }

            if (!CheckAppName(itemPath, reference.Name))
            {
                continue;
            }

            if (reference.ResourceGroup.Length == 0 && block.ResourceGroup is null && !problems.IsUnreadable($"{Path}.resourceGroup"))
            {
                problems.Add(itemPath, $"app '{reference.Name}' names no resource group, and resourceGroup is not set.",
                    $"write it as resourceGroup/name, e.g. rg-weu/{reference.Name}, or add resourceGroup: for the apps that name none.");
                continue;
            }

            // App names are global (they are the DNS label of <name>.azurewebsites.net), so a name is one app.
            if (seen.TryGetValue(reference.Name, out var first))
            {
                problems.Add(itemPath, $"app '{reference.Name}' is already listed {problems.Where(first)}.", "list each app once.");
                continue;
            }

            seen[reference.Name] = itemPath;
        }
    }

    private bool CheckAppName(string path, string name)
    {
        if (AppServiceNames.App().IsMatch(name))
        {
            return true;
        }

        problems.Add(path, $"'{name}' is not a web app name.", "use 2 to 60 letters, digits and '-', not starting or ending with '-' (the name in <name>.azurewebsites.net).");
        return false;
    }

    private void CheckSlot()
    {
        var path = $"{Path}.slot";
        if (problems.IsUnreadable(path))
        {
            return;
        }

        if (string.Equals(block.Slot, "production", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(path, "slot names production itself; zdp swaps another slot with it.", $"name the deployment slot that holds the new version, e.g. slot: {AzureAppServiceDefaults.Slot}.");
        }
        else if (!AppServiceNames.Slot().IsMatch(block.Slot))
        {
            problems.Add(path, $"'{block.Slot}' is not a slot name.", $"use letters, digits and '-', not starting or ending with '-', e.g. slot: {AzureAppServiceDefaults.Slot}.");
        }
    }

    private void CheckPaths()
    {
        var health = $"{Path}.healthPath";
        if (!problems.IsUnreadable(health) && !AppServiceNames.UrlPath().IsMatch(block.HealthPath))
        {
            problems.Add(health, $"'{block.HealthPath}' is not a URL path.", "write a path starting with /, without the host, e.g. healthPath: /healthz.");
        }

        foreach (var (key, value, example) in new[] { ("productionUrl", block.ProductionUrl, "https://shop.example.com"), ("previewUrl", block.PreviewUrl, "https://staging.shop.example.com") })
        {
            var path = $"{Path}.{key}";
            if (!problems.IsUnreadable(path) && value is not null && !SpecRules.IsHttpUrl(value))
            {
                problems.Add(path, $"'{value}' is not an absolute http or https URL.", $"write the URL with its scheme, e.g. {key}: {example}, or remove it to use the default host name.");
            }
        }

        foreach (var (key, value, example) in new[] { ("resourceManagerEndpoint", block.ResourceManagerEndpoint, "https://management.chinacloudapi.cn"), ("authorityHost", block.AuthorityHost, "https://login.chinacloudapi.cn") })
        {
            var path = $"{Path}.{key}";
            if (!problems.IsUnreadable(path) && value is not null && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0))
            {
                problems.Add(path, $"'{value}' is not an absolute https URL.",
                    $"write the endpoint with https:// (Azure.Core sends tokens only over TLS), e.g. {key}: {example}, or remove it for the public cloud.");
            }
        }
    }

    private void CheckCredentials()
    {
        if (block.Credentials is not { } credentials)
        {
            return;
        }

        var path = $"{Path}.credentials";
        var tenant = $"{path}.tenantId";
        if (!problems.IsUnreadable(tenant) && credentials.TenantId is { } t && !AppServiceNames.Tenant().IsMatch(t))
        {
            problems.Add(tenant, $"'{t}' is neither a directory id nor a domain name.", $"write the tenant's directory id, e.g. tenantId: {AppServiceNames.TenantExample} (`az account show --query tenantId`).");
        }

        var client = $"{path}.clientId";
        if (!problems.IsUnreadable(client) && credentials.ClientId is { } c && !AppServiceNames.Guid().IsMatch(c))
        {
            problems.Add(client, $"'{c}' is not a client id.", $"write the application (client) id, a GUID such as {AppServiceNames.ClientExample}, not the app's display name.");
        }

        var variable = $"{path}.clientSecretVariable";
        if (!problems.IsUnreadable(variable) && credentials.ClientSecretVariable is { } v && !AppServiceNames.VariableName().IsMatch(v))
        {
            problems.Add(variable, $"'{v}' is not an environment variable name.",
                "write the variable's name (letters, digits and _), e.g. clientSecretVariable: AZURE_CLIENT_SECRET; never the secret itself.");
        }

        var federated = $"{path}.workloadIdentity";
        if (problems.IsUnreadable(federated) || problems.IsUnreadable(variable) || problems.IsUnreadable(tenant) || problems.IsUnreadable(client))
        {
            // Which credential was meant is unknown, so the combinations are not judged.
            return;
        }

        var audience = $"{path}.audience";
        if (credentials.ClientSecretVariable is not null && credentials.WorkloadIdentity)
        {
            problems.AddAtKey(federated, "clientSecretVariable and workloadIdentity are both set; zdp signs in with one of them.",
                "keep workloadIdentity: true in a pipeline with federated credentials, or clientSecretVariable for a client secret.");
        }
        else if (credentials.ClientSecretVariable is not null || credentials.WorkloadIdentity)
        {
            var what = credentials.WorkloadIdentity ? "workload identity federation" : "a client secret";
            if (credentials.TenantId is null)
            {
                problems.AddMissing(tenant, $"{what} needs the tenant: add tenantId: {AppServiceNames.TenantExample}.");
            }

            if (credentials.ClientId is null)
            {
                problems.AddMissing(client, $"{what} needs the app registration: add clientId: {AppServiceNames.ClientExample}.");
            }
        }

        if (!credentials.WorkloadIdentity && problems.IsWritten(audience))
        {
            problems.AddAtKey(audience, "audience is the audience of a federated token, but workloadIdentity is not set.", "remove audience, or add workloadIdentity: true.");
        }
        else if (!problems.IsUnreadable(audience) && credentials.Audience.Length == 0)
        {
            problems.Add(audience, "audience is empty.", $"remove it for {AzureAppServiceDefaults.FederatedTokenAudience}, or write the audience of the federated credential.");
        }
    }

    private void CheckLease()
    {
        var path = $"{Path}.lease.blobUrl";
        if (block.Lease is not { } lease || problems.IsUnreadable(path) || lease.BlobUrl.Length == 0)
        {
            return;
        }

        const string Example = "https://stshopdeploy.blob.core.windows.net/zdp-leases/shop-api.lease";
        if (!Uri.TryCreate(lease.BlobUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
        {
            problems.Add(path, $"'{lease.BlobUrl}' is not an absolute https URL.", $"write the blob's URL with https:// (Storage takes Entra ID tokens only over TLS), e.g. blobUrl: {Example}.");
            return;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            // A SAS token in the spec would be a secret in a file; zdp signs in with the platform's credentials.
            problems.Add(path, "the URL has a query or fragment (a SAS token?).", $"write the blob's URL alone, e.g. blobUrl: {Example}; zdp signs in with the credentials of the block.");
            return;
        }

        var parts = new global::Azure.Storage.Blobs.BlobUriBuilder(uri);
        if (parts.BlobContainerName.Length == 0 || parts.BlobName.Length == 0)
        {
            problems.Add(path, $"'{lease.BlobUrl}' names no container and blob.", $"write the account's URL, then the container, then the blob's name, e.g. blobUrl: {Example}.");
        }
        else if (!AppServiceNames.Container().IsMatch(parts.BlobContainerName))
        {
            problems.Add(path, $"'{parts.BlobContainerName}' is not a container name.", "use 3 to 63 lowercase letters, digits and single '-', starting with a letter or digit, e.g. zdp-leases.");
        }
    }

    private void CheckStrategy()
    {
        var kind = spec.Strategy.Kind;
        var rolling = kind == StrategyKinds.Rolling;
        if (kind.Length == 0 || problems.IsUnreadable($"{Path}.app") || problems.IsReported($"{Path}.apps") || (block.App is not null && block.Apps.Count > 0))
        {
            return;
        }

        if (rolling && block.App is not null)
        {
            problems.AddAtKey($"{Path}.app", "the rolling strategy updates several apps one batch at a time, and app names one.",
                $"write apps: [{block.App}, <another app>] (each name or resourceGroup/name), or use blueGreen or canary for one app.");
        }
        else if (!rolling && block.Apps.Count > 0)
        {
            problems.AddAtKey($"{Path}.apps", $"the {kind} strategy deploys one app, and apps lists {block.Apps.Count}.",
                "write app: <name> (with resourceGroup), or use the rolling strategy to update the apps one batch at a time.");
        }

        if (!rolling)
        {
            return;
        }

        foreach (var key in new[] { "swapWithPreview", "productionUrl", "previewUrl" })
        {
            if (problems.IsWritten($"{Path}.{key}"))
            {
                problems.AddAtKey($"{Path}.{key}", $"{key} applies to one app (blueGreen, canary); the rolling strategy swaps each app of apps.",
                    $"remove {key}, or use blueGreen or canary for one app.");
            }
        }

        if (spec.Strategy.Rolling?.UpdateHook is not null && !problems.IsUnreadable("strategy.rolling.updateHook"))
        {
            problems.AddAtKey("strategy.rolling.updateHook", "on App Service, rolling updates each app by swapping its slot into production; an update hook is not used.",
                $"deploy the new version to slot '{block.Slot}' of every app first, then remove updateHook.");
        }
    }
}
