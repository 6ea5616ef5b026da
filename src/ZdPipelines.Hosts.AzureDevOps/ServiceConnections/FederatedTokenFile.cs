using ZdPipelines.Core.Modules;

namespace ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

/// <summary>
/// A service connection's ID token in a file only this user can read, for the SDK default chains that federate from a
/// file: Azure.Identity's WorkloadIdentityCredential (AZURE_FEDERATED_TOKEN_FILE) and the AWS SDK's web identity
/// credentials (AWS_WEB_IDENTITY_TOKEN_FILE). Both read the file again at every exchange, so it is rewritten with a
/// fresh token before the one in it expires; a deployment that outlives a token keeps signing in. Deleted on dispose.
/// </summary>
internal sealed class FederatedTokenFile : IAsyncDisposable
{
    /// <summary>When a token says no expiry, or a refresh failed: how long until the next try.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMinutes(1);

    private readonly AzureDevOpsIdTokenSource _tokens;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task _refreshing = Task.CompletedTask;

    private FederatedTokenFile(string path, AzureDevOpsIdTokenSource tokens, TimeProvider time)
    {
        Path = path;
        _tokens = tokens;
        _time = time;
    }

    public string Path { get; }

    /// <summary>Fetches the first token, writes it to <paramref name="path"/> and keeps it fresh until disposed.</summary>
    public static async Task<FederatedTokenFile> CreateAsync(string path, AzureDevOpsIdTokenSource tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var file = new FederatedTokenFile(path, tokens, time);
        await file.WriteAsync(await tokens.GetTokenAsync(IdTokenAudiences.Azure, cancellationToken), cancellationToken);
        file._refreshing = file.RefreshAsync(file._stop.Token);
        return file;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _refreshing;
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }

        _stop.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // The agent empties its temp directory after the job.
        }
    }

    private async Task RefreshAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var wait = _tokens.CurrentExpiry is { } expires
                ? expires - AzureDevOpsIdTokenSource.RefreshBeforeExpiry - _time.GetUtcNow()
                : TimeSpan.MaxValue;
            await Task.Delay(wait == TimeSpan.MaxValue ? Timeout.InfiniteTimeSpan : Max(wait, RetryInterval), _time, stop);
            try
            {
                await WriteAsync(await _tokens.GetTokenAsync(IdTokenAudiences.Azure, stop), stop);
            }
            catch (Exception e) when (e is Core.Platforms.PlatformException or IOException or HttpRequestException)
            {
                // The token in the file is still good for a few minutes; the next round tries again.
                await Task.Delay(RetryInterval, _time, stop);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task WriteAsync(string token, CancellationToken cancellationToken)
    {
        // Written beside the file and moved over it, so a reader never sees half a token.
        var next = Path + ".next";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var writer = new StreamWriter(next, options))
        {
            await writer.WriteAsync(token.AsMemory(), cancellationToken);
        }

        File.Move(next, Path, overwrite: true);
    }
}
