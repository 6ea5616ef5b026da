using Azure.Core;
using ZdPipelines.Platforms.Azure.Clients;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// What is deployed where on one web app and how production traffic is routed, as ARM reports it: production and the deployment
/// slot zdp swaps with, the routing rules, a pending swap with preview, the sticky settings, and what a deployment should know
/// before it starts (<see cref="Warnings"/>).
/// </summary>
internal sealed record AppServiceState
{
    public required ResourceIdentifier SiteId { get; init; }

    public required SlotState Production { get; init; }

    /// <summary>The deployment slot (staging), as named in the spec.</summary>
    public required SlotState Slot { get; init; }

    /// <summary>Production's ramp-up rules, exactly as read (to write back everything zdp does not change).</summary>
    public required IReadOnlyList<RampUpRule> RampUpRules { get; init; }

    /// <summary>The share of production traffic the rules send to <see cref="Slot"/>.</summary>
    public double SlotTrafficPercentage => SlotRouting.PercentageFor(RampUpRules, Slot.HostName);

    /// <summary>Rules that send production traffic to hosts other than <see cref="Slot"/>.</summary>
    public IReadOnlyList<RampUpRule> OtherRules => [.. RampUpRules.Where(r => !SlotRouting.SameHost(r.ActionHostName, Slot.HostName))];

    /// <summary>A swap with preview left pending (applySlotConfig without swap or reset), as (source slot, target slot).</summary>
    public (string Source, string Target)? PendingPreview { get; init; }

    /// <summary>Sticky settings: app settings, connection strings and storage mounts that stay with their slot in a swap.</summary>
    public required SlotConfigNames StickySettings { get; init; }

    /// <summary>Things a deployment on this app should say before it changes anything; empty when there are none.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One slot as ARM reports it.</summary>
/// <param name="Name">The slot's name; <c>production</c> for the site.</param>
/// <param name="Id">Its resource id.</param>
/// <param name="HostName">Its <c>defaultHostName</c>.</param>
/// <param name="State">Its <c>state</c>, e.g. <c>Running</c>.</param>
/// <param name="LastSwap">The last successful swap it took part in.</param>
/// <param name="AutoSwapSlotName">The slot this one auto-swaps into after each deployment, if configured.</param>
internal sealed record SlotState(string Name, ResourceIdentifier Id, string HostName, string? State, SlotSwapStatus? LastSwap, string? AutoSwapSlotName)
{
    public bool IsRunning => string.Equals(State, "Running", StringComparison.OrdinalIgnoreCase);
}
