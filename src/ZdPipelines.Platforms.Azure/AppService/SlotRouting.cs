using System.Globalization;
using ZdPipelines.Platforms.Azure.Clients;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// Production traffic routing of a web app (<c>experiments.rampUpRules</c> of production's config/web) as percentages per slot
/// host name, and the rule list that sets one slot's share while leaving every other rule exactly as it was.
/// </summary>
internal static class SlotRouting
{
    /// <summary>The share of production traffic the rules send to <paramref name="slotHostName"/> (0 when no rule names it).</summary>
    public static double PercentageFor(IReadOnlyList<RampUpRule> rules, string slotHostName) =>
        rules.Where(r => SameHost(r.ActionHostName, slotHostName)).Sum(r => r.ReroutePercentage ?? 0);

    /// <summary>
    /// The rules with <paramref name="slotHostName"/>'s share set to <paramref name="percentage"/>: the existing rule for that
    /// host is updated in place (its other members kept), or a rule named <paramref name="slotName"/> added; at 0 the rule is
    /// removed, which App Service treats as the implicit 0 % of a slot without a rule. Rules for other hosts are untouched.
    /// </summary>
    /// <exception cref="ArgumentException">The percentage is outside 0-100, or the shares of all slots would pass 100.</exception>
    public static IReadOnlyList<RampUpRule> WithPercentage(IReadOnlyList<RampUpRule> rules, string slotHostName, string slotName, double percentage)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentException.ThrowIfNullOrWhiteSpace(slotHostName);
        if (percentage is < 0 or > 100 || double.IsNaN(percentage))
        {
            throw new ArgumentException($"a slot's share of production traffic must be 0-100 %, not {percentage.ToString(CultureInfo.InvariantCulture)}.", nameof(percentage));
        }

        var others = rules.Where(r => !SameHost(r.ActionHostName, slotHostName)).ToList();
        var elsewhere = others.Sum(r => r.ReroutePercentage ?? 0);
        if (elsewhere + percentage > 100)
        {
            throw new ArgumentException(
                $"routing {percentage.ToString(CultureInfo.InvariantCulture)} % to {slotHostName} would send {(elsewhere + percentage).ToString(CultureInfo.InvariantCulture)} % of production traffic to slots; "
                + $"other rules already take {elsewhere.ToString(CultureInfo.InvariantCulture)} %.",
                nameof(percentage));
        }

        if (percentage == 0)
        {
            return others;
        }

        var existing = rules.FirstOrDefault(r => SameHost(r.ActionHostName, slotHostName));
        var rule = existing is null
            ? new RampUpRule { ActionHostName = slotHostName, ReroutePercentage = percentage, Name = slotName }
            : existing with { ReroutePercentage = percentage };
        var result = new List<RampUpRule>(rules.Count + 1);
        var placed = false;
        foreach (var current in rules)
        {
            if (SameHost(current.ActionHostName, slotHostName))
            {
                if (!placed)
                {
                    result.Add(rule);
                    placed = true;
                }
            }
            else
            {
                result.Add(current);
            }
        }

        if (!placed)
        {
            result.Add(rule);
        }

        return result;
    }

    /// <summary>Host names compare case-insensitively (DNS).</summary>
    public static bool SameHost(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
