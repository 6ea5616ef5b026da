using ZdPipelines.Core.Spec;

namespace ZdPipelines.Platforms.Azure.Spec;

/// <summary>
/// Azure App Service: blue-green and canary deploy one web app (<see cref="App"/>) whose deployment slot (<see cref="Slot"/>)
/// holds the new version, by swapping the slot into production or routing a share of production's traffic to it; rolling
/// updates several apps (<see cref="Apps"/>, e.g. one per region) a batch at a time by swapping each app's slot. The lease and
/// the journal are tags on the (first) app. See docs/azure.md.
/// </summary>
public sealed record AzureAppServiceOptions : PlatformOptions
{
    /// <summary>The subscription the apps are in (a GUID).</summary>
    public required string SubscriptionId { get; init; }

    /// <summary>The resource group of <see cref="App"/>, and of every item of <see cref="Apps"/> that names none.</summary>
    public string? ResourceGroup { get; init; }

    /// <summary>blueGreen and canary: the web app deployed.</summary>
    public string? App { get; init; }

    /// <summary>rolling: the apps updated one batch at a time, each <c>name</c> or <c>resourceGroup/name</c>.</summary>
    public IReadOnlyList<string> Apps { get; init; } = [];

    /// <summary>The deployment slot that holds the new version; the same name in every app.</summary>
    public string Slot { get; init; } = AzureAppServiceDefaults.Slot;

    /// <summary>Swap in two phases: the slot first runs with production's settings and is gated so, then the swap completes.</summary>
    public bool SwapWithPreview { get; init; }

    /// <summary>The path every slot must answer with a 2xx before traffic moves to it, on its own host name.</summary>
    public string HealthPath { get; init; } = AzureAppServiceDefaults.HealthPath;

    /// <summary>Where users reach production (a custom domain); fills {address}. Default: https:// and the app's default host name.</summary>
    public string? ProductionUrl { get; init; }

    /// <summary>Where testers reach the slot (a custom domain); fills {preview}. Default: https:// and the slot's default host name.</summary>
    public string? PreviewUrl { get; init; }

    /// <summary>The Resource Manager endpoint of a sovereign cloud (or an emulator); default the public cloud's.</summary>
    public string? ResourceManagerEndpoint { get; init; }

    /// <summary>The Entra ID host of a sovereign cloud (or an emulator); default login.microsoftonline.com.</summary>
    public string? AuthorityHost { get; init; }

    /// <summary>How zdp signs in to Entra ID; absent means the default chain (environment, workload identity, managed identity, Azure CLI).</summary>
    public AzureCredentialsSpec? Credentials { get; init; }

    /// <summary>Where the deployment lease lives instead of the app's tag: an Azure Storage blob, leased atomically. Absent: the tag.</summary>
    public AzureBlobLeaseSpec? Lease { get; init; }

    /// <summary><see cref="App"/>, or every item of <see cref="Apps"/>, as (resource group, name); the group is <see cref="ResourceGroup"/> when an item names none.</summary>
    public IReadOnlyList<AppReference> AppReferences =>
        App is { } app ? [new AppReference(ResourceGroup ?? "", app)] : [.. Apps.Select(AppReference.Parse).Select(a => a.ResourceGroup.Length == 0 ? a with { ResourceGroup = ResourceGroup ?? "" } : a)];
}

/// <summary>One web app: its resource group and name.</summary>
public sealed record AppReference(string ResourceGroup, string Name)
{
    /// <summary>"name" or "resourceGroup/name"; the group is empty when not written.</summary>
    public static AppReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new AppReference("", text) : new AppReference(text[..slash], text[(slash + 1)..]);
    }
}

/// <summary>
/// The deployment lease as an Azure Storage blob lease (atomic, unlike the app's tag): the blob is created if missing; its
/// container must exist, and the deploying identity needs Storage Blob Data Contributor on it.
/// </summary>
public sealed record AzureBlobLeaseSpec
{
    /// <summary>The blob's URL, e.g. https://ACCOUNT.blob.core.windows.net/CONTAINER/zdp/shop-api.lease.</summary>
    public required string BlobUrl { get; init; }
}

/// <summary>
/// Entra ID credentials: a client secret read from an environment variable, or workload identity federation with the CI
/// host's OIDC token; with neither, the default chain (<see cref="ClientId"/> then picks a user-assigned managed identity).
/// </summary>
public sealed record AzureCredentialsSpec
{
    /// <summary>The Entra ID tenant (directory) id, or a verified domain.</summary>
    public string? TenantId { get; init; }

    /// <summary>The application (client) id of the app registration, or of a user-assigned managed identity.</summary>
    public string? ClientId { get; init; }

    /// <summary>The name of the environment variable that holds the client secret; the secret itself never goes in the spec.</summary>
    public string? ClientSecretVariable { get; init; }

    /// <summary>Sign in with the OIDC token of the CI host (GitHub Actions, an Azure DevOps service connection) as a client assertion.</summary>
    public bool WorkloadIdentity { get; init; }

    /// <summary>The audience of the OIDC token asked for; Entra ID's default for federated credentials.</summary>
    public string Audience { get; init; } = AzureAppServiceDefaults.FederatedTokenAudience;
}

public static class AzureAppServiceDefaults
{
    /// <summary>"staging", the slot name App Service's own documentation and the Azure CLI examples use.</summary>
    public const string Slot = "staging";

    /// <summary>"/": what App Service's own swap warm-up requests by default (WEBSITE_SWAP_WARMUP_PING_PATH), so an app that swaps today answers it.</summary>
    public const string HealthPath = "/";

    /// <summary>Entra ID's default audience for a federated credential, and what GitHub's azure/login asks for.</summary>
    public const string FederatedTokenAudience = "api://AzureADTokenExchange";
}
