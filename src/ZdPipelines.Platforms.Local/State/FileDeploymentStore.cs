using System.Text.Json;
using System.Text.Json.Serialization;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Platforms.Local.State;

/// <summary>
/// Lease and journal as JSON files in a state directory (lease.json, journal.json). Every change is
/// made while holding an exclusive lock on lease.lock and written to a temporary file that is then
/// moved over the old one, so another zdp process never reads half a file and two processes never
/// both take the lease.
/// </summary>
public sealed class FileDeploymentStore : IDeploymentStore
{
    public const string LeaseFile = "lease.json";
    public const string JournalFile = "journal.json";
    public const string LockFile = "lease.lock";

    /// <summary>
    /// The lock is held only for one read and one write, a few milliseconds; 500 tries 10 ms apart wait
    /// out any real holder and still end with a message if something else keeps the file open.
    /// </summary>
    private const int LockAttempts = 500;
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly string _directory;
    private readonly TimeProvider _time;

    public FileDeploymentStore(string directory, TimeProvider timeProvider)
    {
        _directory = Path.GetFullPath(directory);
        _time = timeProvider;
    }

    public string StateDirectory => _directory;

    public async Task<LeaseResult> TryAcquireLeaseAsync(Lease wanted, CancellationToken cancellationToken)
    {
        using var _ = await LockAsync(cancellationToken);
        var current = await ReadAsync<Lease>(LeaseFile, cancellationToken);
        // Ours only when both the deployment and the owner match: a second `zdp resume` of the same
        // deployment on another machine must wait for the first run's lease to lapse.
        var ours = current?.DeploymentId == wanted.DeploymentId && current.Owner == wanted.Owner;
        if (current is not null && !ours && current.ExpiresAt > _time.GetUtcNow())
        {
            return new LeaseResult(false, current);
        }

        await WriteAsync(LeaseFile, wanted, cancellationToken);
        return new LeaseResult(true, wanted);
    }

    public async Task<LeaseResult> TakeOverLeaseAsync(Lease wanted, Lease holder, CancellationToken cancellationToken)
    {
        using var _ = await LockAsync(cancellationToken);
        var current = await ReadAsync<Lease>(LeaseFile, cancellationToken);
        // Only that exact holder is replaced: one that renewed or changed meanwhile is alive after all.
        if (current is not null && !(current.DeploymentId == holder.DeploymentId && current.Owner == holder.Owner))
        {
            return new LeaseResult(false, current);
        }

        await WriteAsync(LeaseFile, wanted, cancellationToken);
        return new LeaseResult(true, wanted);
    }

    public async Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken)
    {
        using var _ = await LockAsync(cancellationToken);
        var current = await ReadAsync<Lease>(LeaseFile, cancellationToken);
        if (current?.DeploymentId == deploymentId)
        {
            File.Delete(PathOf(LeaseFile));
        }
    }

    public Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken) => ReadAsync<Journal>(JournalFile, cancellationToken);

    public async Task WriteJournalAsync(Journal journal, CancellationToken cancellationToken)
    {
        // Under the lock too: `zdp promote` and `zdp abort` rewrite the journal from another process.
        using var _ = await LockAsync(cancellationToken);
        await WriteAsync(JournalFile, journal, cancellationToken);
    }

    /// <summary>
    /// FileShare.None is an exclusive lock the OS releases when the process dies (flock on Unix), so a
    /// crashed zdp never leaves a stale lock behind. The file itself stays; deleting it would let two
    /// processes lock two different files of the same name.
    /// </summary>
    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(PathOf(LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (attempt < LockAttempts && e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                await Task.Delay(LockRetryDelay, _time, cancellationToken);
            }
            catch (IOException e)
            {
                throw new IOException($"Cannot lock {PathOf(LockFile)}: {e.Message} Another process keeps it open; stop it or remove the state directory.", e);
            }
        }
    }

    private async Task<T?> ReadAsync<T>(string name, CancellationToken cancellationToken)
        where T : class
    {
        var path = PathOf(name);
        try
        {
            // FileShare.Delete lets a writer move a new version over the file while it is being read.
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid zdp {name}: {e.Message} Fix or delete it.", e);
        }
    }

    private async Task WriteAsync<T>(string name, T value, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await JsonSerializer.SerializeAsync(stream, value, Json, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                // Durable before the move, so a crash leaves either the old file or the whole new one.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private string PathOf(string name) => Path.Combine(_directory, name);
}
