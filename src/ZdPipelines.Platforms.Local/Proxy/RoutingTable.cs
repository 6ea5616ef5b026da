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
    IReadOnlyList<Destination> CandidateServing,
    byte[] StableUnavailableBody,
    byte[] CandidateUnavailableBody)
{
    public static readonly RoutingTable Empty = new(Side.Stable, 0, [], [], [], []);

    public IReadOnlyList<Destination> Serving(Side side) => side == Side.Stable ? StableServing : CandidateServing;

    /// <summary>What a 503 says when <paramref name="side"/> had no healthy destination for a request.</summary>
    public byte[] UnavailableBody(Side side) => side == Side.Stable ? StableUnavailableBody : CandidateUnavailableBody;
}

/// <summary>
/// The destination chosen for one request, and the side whose share it was counted against; with no destination,
/// the 503 body the routing table had for that side.
/// </summary>
internal readonly record struct Route(Destination? Destination, Side Side, bool FellBack, byte[]? UnavailableBody = null);
