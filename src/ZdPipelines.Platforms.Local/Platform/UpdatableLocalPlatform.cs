using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Local.Proxy;
using ZdPipelines.Platforms.Local.State;

namespace ZdPipelines.Platforms.Local.Platform;

/// <summary>
/// The local platform when it was given a <see cref="LocalTargetUpdater"/>: a separate type because a
/// platform declares its capabilities by the interfaces it implements.
/// </summary>
internal sealed class UpdatableLocalPlatform : LocalPlatform, ITargetUpdater
{
    private readonly LocalTargetUpdater _updater;

    public UpdatableLocalPlatform(LocalPlatformOptions spec, LocalProxy proxy, IReadOnlyList<LocalTarget> targets, FileDeploymentStore store, LocalTargetUpdater updater)
        : base(spec, proxy, targets, store) => _updater = updater;

    /// <summary>Updates a batch at once; each instance is Initial again until its health checks pass.</summary>
    public async Task UpdateAsync(IReadOnlyList<string> targets, bool toPrevious, CancellationToken cancellationToken)
    {
        await Task.WhenAll(Resolve(targets).Select(async target =>
        {
            await _updater(target, toPrevious, cancellationToken);
            Proxy.ResetHealth(target.Id);
            Proxy.MarkNewVersion(target.Id, !toPrevious);
            MarkUpdated(target.Id, !toPrevious);
        }));
    }
}
