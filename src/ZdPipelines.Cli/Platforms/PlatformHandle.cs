using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Cli.Platforms;

/// <summary>
/// A platform a command has opened and must close: the local platform runs a proxy inside the zdp
/// process, which has to stop when the command ends.
/// </summary>
internal sealed class PlatformHandle(IPlatform platform) : IAsyncDisposable
{
    public IPlatform Platform { get; } = platform;

    public async ValueTask DisposeAsync()
    {
        switch (Platform)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
