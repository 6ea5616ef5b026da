using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>The local proxy's routing state at one moment.</summary>
public sealed record ProxyState(Side ActiveSide, int CandidateWeight, IReadOnlyList<DestinationStatus> Destinations)
{
    public DestinationStatus? Find(string id) => Destinations.FirstOrDefault(d => d.Id == id);
}

/// <summary>One upstream instance as the proxy sees it; <paramref name="InFlight"/> counts requests being forwarded to it now.</summary>
public sealed record DestinationStatus(string Id, Side Side, Uri Address, bool Registered, TargetHealth Health, int InFlight);
