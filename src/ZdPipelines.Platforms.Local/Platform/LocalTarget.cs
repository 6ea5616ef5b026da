using ZdPipelines.Core.Plans;

namespace ZdPipelines.Platforms.Local.Platform;

/// <summary>One upstream instance of the local platform: its target id, its side and its URL.</summary>
public sealed record LocalTarget(string Id, Side Side, Uri Address);

/// <summary>
/// Brings one upstream to the new version (or, with <paramref name="toPrevious"/>, back to the old one),
/// for example by restarting it. The platform makes the instance prove its health again afterwards.
/// </summary>
public delegate Task LocalTargetUpdater(LocalTarget target, bool toPrevious, CancellationToken cancellationToken);
