using ZdPipelines.Core.Plans;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>
/// Picks a destination per request: a side by weight, then round robin among that side's healthy
/// registered destinations.
/// </summary>
internal sealed class TrafficRouter
{
    private RoutingTable _table = RoutingTable.Empty;
    private long _requests;
    private long _stableTurn;
    private long _candidateTurn;
    private long _fallbacks;
    private int _previewSide = (int)Side.Candidate;

    /// <summary>Requests sent to the other side because the side that should have served had no healthy destination.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    public void Publish(RoutingTable table) => Volatile.Write(ref _table, table);

    /// <summary>The side the preview listener forwards to: the candidate until a deployment points it elsewhere.</summary>
    public Side PreviewSide => (Side)Volatile.Read(ref _previewSide);

    public void PointPreview(Side side) => Volatile.Write(ref _previewSide, (int)side);

    /// <param name="candidateOnly">The preview listener: its side or nothing, never a fallback to the other.</param>
    public Route Choose(bool candidateOnly)
    {
        var table = Volatile.Read(ref _table);
        var side = candidateOnly ? PreviewSide : PickSide(table);
        if (Next(table, side) is { } chosen)
        {
            return new Route(chosen, side, FellBack: false);
        }

        var other = side == Side.Stable ? Side.Candidate : Side.Stable;
        if (!candidateOnly && Next(table, other) is { } fallback)
        {
            Interlocked.Increment(ref _fallbacks);
            return new Route(fallback, other, FellBack: true);
        }

        return new Route(null, side, FellBack: false, table.UnavailableBody(side));
    }

    /// <summary>
    /// Spreads the candidate's share evenly instead of drawing at random: with weight w the n-th request
    /// goes to the candidate exactly when floor(n·w/100) steps up, so any 100 consecutive requests hold
    /// exactly w candidate requests and tests need no tolerance for chance.
    /// </summary>
    private Side PickSide(RoutingTable table)
    {
        if (table.CandidateWeight <= 0)
        {
            return table.ActiveSide;
        }

        var n = Interlocked.Increment(ref _requests);
        var w = table.CandidateWeight;
        return n * w / 100 != (n - 1) * w / 100 ? Side.Candidate : Side.Stable;
    }

    private Destination? Next(RoutingTable table, Side side)
    {
        var serving = table.Serving(side);
        if (serving.Count == 0)
        {
            return null;
        }

        var turn = Interlocked.Increment(ref (side == Side.Stable ? ref _stableTurn : ref _candidateTurn));
        return serving[(int)(turn % serving.Count)];
    }
}
