using ZdPipelines.Core.Plans;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// Where traffic goes, published as a whole by <see cref="DestinationTable"/> after every change, so a
/// request reads one consistent picture without taking a lock.
/// </summary>
internal sealed record RoutingTable(
    Side ActiveSide,
    int CandidateWeight,
    IReadOnlyList<Destination> StableServing,
    IReadOnlyList<Destination> CandidateServing)
{
    public static readonly RoutingTable Empty = new(Side.Stable, 0, [], []);

    public IReadOnlyList<Destination> Serving(Side side) => side == Side.Stable ? StableServing : CandidateServing;
}

/// <summary>The destination chosen for one request, and the side whose share it was counted against.</summary>
internal readonly record struct Route(Destination? Destination, Side Side, bool FellBack);
