using System.Text.RegularExpressions;

namespace ZdPipelines.Platforms.Azure.Spec;

/// <summary>The shapes of Azure names the azureAppService block holds (Azure naming rules for Microsoft.Resources and Microsoft.Web), and examples for messages.</summary>
internal static partial class AppServiceNames
{
    public const string SubscriptionExample = "4a3e7c1d-0000-4000-8000-0000000000a1";
    public const string TenantExample = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string ClientExample = "0c5e2a7b-1d3f-4e6a-9b8c-7d6e5f4a3b2c";

    /// <summary>A GUID, as subscription, tenant and client ids are.</summary>
    [GeneratedRegex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant)]
    public static partial Regex Guid();

    /// <summary>Resource groups: 1-90 letters, digits, underscores, parentheses, hyphens and periods, not ending in a period.</summary>
    [GeneratedRegex(@"^[-\w.()]{0,89}[-\w()]$", RegexOptions.CultureInvariant)]
    public static partial Regex ResourceGroup();

    /// <summary>Microsoft.Web/sites: 2-60 letters, digits and hyphens, not starting or ending with a hyphen (the name is a DNS label).</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,58}[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    public static partial Regex App();

    /// <summary>Microsoft.Web/sites/slots: letters, digits and hyphens, not starting or ending with a hyphen; App Service cuts it at 59.</summary>
    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,57}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    public static partial Regex Slot();

    /// <summary>A tenant is a directory id or a verified domain (Entra ID accepts either in the authority URL).</summary>
    [GeneratedRegex(@"^([0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+)$", RegexOptions.CultureInvariant)]
    public static partial Regex Tenant();

    /// <summary>A portable environment variable name (POSIX: letters, digits and underscores, not starting with a digit).</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    public static partial Regex VariableName();

    /// <summary>A URL path: starts with /, no spaces, no fragment.</summary>
    [GeneratedRegex(@"^/[^\s#]*$", RegexOptions.CultureInvariant)]
    public static partial Regex UrlPath();

    /// <summary>Blob containers: 3-63 lowercase letters, digits and hyphens, starting with a letter or digit, no two hyphens in a row ($root aside).</summary>
    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9](-?[a-z0-9])*$|^\\$root$", RegexOptions.CultureInvariant)]
    public static partial Regex Container();
}
