using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace ZdPipelines.AzureEmulator.Authorization;

/// <summary>A role: the actions it allows, with <c>*</c> wildcards as Azure RBAC role definitions write them.</summary>
public sealed record EmulatedRole(string Name, IReadOnlyList<string> Actions)
{
    /// <summary>Contributor's actions are <c>*</c> (the built-in role's definition, its NotActions aside).</summary>
    public static readonly EmulatedRole Contributor = new("Contributor", ["*"]);

    /// <summary>Reader's actions are <c>*/read</c>.</summary>
    public static readonly EmulatedRole Reader = new("Reader", ["*/read"]);

    public static EmulatedRole Custom(string name, params string[] actions) => new(name, actions);

    internal bool Allows(string action) => Actions.Any(pattern => Matches(pattern, action));

    private static bool Matches(string pattern, string action) =>
        Regex.IsMatch(action, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}

/// <summary>Role assignments: which principal holds which role at which scope (and so at every scope below it).</summary>
public sealed class RoleAssignments
{
    private readonly ConcurrentQueue<(string Principal, EmulatedRole Role, string Scope)> _assignments = new();

    /// <summary>Assigns <paramref name="role"/> to the app (client id or object id) at <paramref name="scope"/> (a subscription, group or resource id).</summary>
    public void Assign(string principal, EmulatedRole role, string scope) => _assignments.Enqueue((principal, role, scope.TrimEnd('/')));

    internal bool Allows(string clientId, string objectId, string action, string scope) =>
        _assignments.Any(a =>
            (string.Equals(a.Principal, clientId, StringComparison.OrdinalIgnoreCase) || string.Equals(a.Principal, objectId, StringComparison.OrdinalIgnoreCase))
            && Covers(a.Scope, scope)
            && a.Role.Allows(action));

    // An assignment at /subscriptions/x applies to /subscriptions/x/resourceGroups/…, not to /subscriptions/xy.
    private static bool Covers(string assigned, string scope) =>
        scope.Equals(assigned, StringComparison.OrdinalIgnoreCase)
        || (scope.StartsWith(assigned, StringComparison.OrdinalIgnoreCase) && scope.Length > assigned.Length && scope[assigned.Length] == '/');
}
