using System.Text.RegularExpressions;
using ZdPipelines.AzureEmulator.Swagger;

namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>
/// The RBAC action and scope ARM authorizes a request against, derived from the operation's path template the way ARM names
/// actions: the provider namespace, the resource types of the path after it, then <c>read</c> for GET, <c>write</c> for PUT and
/// PATCH, <c>delete</c> for DELETE, and <c>{name}/action</c> for POST (e.g. <c>Microsoft.Web/sites/slots/slotsswap/action</c>,
/// the action deploy-staging-slots.md names for a swap).
/// </summary>
internal static partial class ArmActions
{
    public static string Action(SwaggerOperation operation)
    {
        var segments = operation.Template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var providers = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        var rest = segments[(providers + 2)..];
        var types = new List<string> { segments[providers + 1] };
        string? postAction = null;
        for (var i = 0; i < rest.Length; i += 2)
        {
            if (i + 1 < rest.Length)
            {
                types.Add(rest[i]);
            }
            else if (operation.Method == "POST")
            {
                postAction = rest[i];
            }
            else
            {
                types.Add(rest[i]);
            }
        }

        var verb = operation.Method switch
        {
            "GET" or "HEAD" => "read",
            "PUT" or "PATCH" => "write",
            "DELETE" => "delete",
            _ => postAction is null ? "action" : $"{postAction}/action",
        };
        return $"{string.Join('/', types)}/{verb}";
    }

    /// <summary>The scope ARM names in a 403: the resource the request is about (a POST's action segment left off).</summary>
    public static string Scope(SwaggerOperation operation, string path)
    {
        var trimmed = path.TrimEnd('/');
        return operation.Method == "POST" ? trimmed[..trimmed.LastIndexOf('/')] : trimmed;
    }

    /// <summary>The subscription a request path is under, if any.</summary>
    public static string? Subscription(string path) => SubscriptionPattern().Match(path) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>A site or slot resource id (without leading slash or with), split up; null when it is not one.</summary>
    public static (string Subscription, string ResourceGroup, string Site, string? Slot)? WebApp(string resourceId) =>
        WebAppPattern().Match(resourceId) is { Success: true } m
            ? (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Success ? m.Groups[4].Value : null)
            : null;

    [GeneratedRegex("^/?subscriptions/([^/]+)", RegexOptions.IgnoreCase)]
    private static partial Regex SubscriptionPattern();

    [GeneratedRegex("^/?subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Web/sites/([^/]+)(?:/slots/([^/]+))?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex WebAppPattern();
}
