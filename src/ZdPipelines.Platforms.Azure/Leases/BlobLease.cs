using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.AppService;

namespace ZdPipelines.Platforms.Azure.Leases;

/// <summary>
/// The deployment lease as an Azure Storage blob lease (Lease Blob): atomic where the app's tag is not. Storage grants a lease
/// on a blob to one caller and answers every other Acquire with 409 <c>LeaseAlreadyPresent</c>, and every write to the blob
/// must carry the lease id, so the id fences: a run whose lease was broken cannot renew it.
/// </summary>
/// <remarks>
/// <para>The blob lease is infinite, and the zdp lease — deployment id, owner, expiry — is the blob's metadata, written with
/// the lease id right after Acquire and again at each renewal. The engine fences by its own clock at its own lease duration
/// (2 minutes less a margin); a Storage lease lapses after at most 60 s, so a run frozen for 70 s would still believe it held
/// a lease Storage had given to another run. With an infinite lease nothing lapses on the server: a lease is dead when its
/// recorded expiry has passed, exactly as the engine judges it, and the next run breaks it.</para>
/// <para>A run holds the lease once its record landed, never before. Every break is conditional on the ETag read together
/// with the record that justified it (expired, or the holder a take-over names), and writing a record changes the ETag, so a
/// lease whose record landed is never broken on the strength of an older read. A run that took the lease but had it broken
/// before its record landed finds its record refused (the lease id no longer matches) and backs off without having acted.</para>
/// </remarks>
internal sealed class BlobLease : IAppServiceLease
{
    /// <summary>The record's metadata names (Storage requires C# identifiers; values are escaped, so any owner fits in a header).</summary>
    internal const string DeploymentKey = "zdpdeployment";

    internal const string OwnerKey = "zdpowner";

    internal const string ExpiresKey = "zdpexpires";

    private const string Field = "platform.azureAppService.lease.blobUrl";

    private readonly BlobClient _blob;
    private readonly TimeProvider _time;
    private readonly BlobLeaseOptions _options;
    private readonly string _credential;
    private readonly Lock _gate = new();
    private Held? _held;

    /// <param name="blob">The lease blob, signed in.</param>
    /// <param name="time">The clock that judges recorded expiries and bounds each call.</param>
    /// <param name="options">Bounds of a call; null for the defaults.</param>
    /// <param name="credentialDescription">Which credential signs in, for messages (never a secret).</param>
    public BlobLease(BlobClient blob, TimeProvider time, BlobLeaseOptions? options = null, string credentialDescription = "credential")
    {
        ArgumentNullException.ThrowIfNull(blob);
        _blob = blob;
        _time = time;
        _options = options ?? new BlobLeaseOptions();
        _credential = credentialDescription;
    }

    /// <summary>The lease on <paramref name="blobUrl"/>, signed in with <paramref name="credential"/> (scope https://storage.azure.com/.default).</summary>
    public static BlobLease Connect(Uri blobUrl, TokenCredential credential, string credentialDescription, TimeProvider time, BlobLeaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blobUrl);
        options ??= new BlobLeaseOptions();
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = options.RetryMaxDelay;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        if (options.Transport is { } transport)
        {
            clientOptions.Transport = transport;
        }

        var counter = new BlobCallCounter();
        clientOptions.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        return new BlobLease(new BlobClient(blobUrl, credential, clientOptions), time, options, credentialDescription) { Calls = counter };
    }

    /// <summary>The calls sent to Storage (each attempt), by kind; empty for a lease made around a client of the caller's.</summary>
    public BlobCallCounter Calls { get; private init; } = new();

    public Uri BlobUri => _blob.Uri;

    public string Note =>
        $"lease: an Azure Storage blob lease on {_blob.Uri} (atomic: Storage grants it to one run; the lease id fences a run whose lease was taken over). " +
        "The journal stays in the app's tags.";

    public bool Holds(string deploymentId)
    {
        lock (_gate)
        {
            return _held?.DeploymentId == deploymentId;
        }
    }

    public async Task VerifyAsync(CancellationToken cancellationToken) => await ReadAsync(cancellationToken);

    public async Task<LeaseResult> TryAcquireAsync(Lease wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var now = _time.GetUtcNow();
        if (wanted.ExpiresAt <= now)
        {
            // `zdp status` asking who holds it: answered from one read, nothing written.
            var seen = await ReadAsync(cancellationToken);
            return seen.LiveHolder(now) is { } holder && !SameRun(holder, wanted) ? new LeaseResult(false, holder) : new LeaseResult(true, wanted);
        }

        Held? held;
        lock (_gate)
        {
            held = _held is { } h && h.DeploymentId == wanted.DeploymentId ? h : null;
        }

        return held is not null ? await RenewAsync(held, wanted, cancellationToken) : await ClaimAsync(wanted, null, cancellationToken);
    }

    public Task<LeaseResult> TakeOverAsync(Lease wanted, Lease holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(holder);
        return ClaimAsync(wanted, holder, cancellationToken);
    }

    public async Task ReleaseAsync(string deploymentId, CancellationToken cancellationToken)
    {
        Held? held;
        lock (_gate)
        {
            held = _held?.DeploymentId == deploymentId ? _held : null;
            if (held is not null)
            {
                _held = null;
            }
        }

        if (held is null)
        {
            return;
        }

        try
        {
            // The record first, marked expired now: a record left live would name this run as the holder to whoever finds
            // the blob leased by the next run before that run's own record lands.
            var released = new Lease(held.DeploymentId, held.Owner, _time.GetUtcNow());
            await CallAsync(c => _blob.SetMetadataAsync(Metadata(released), new BlobRequestConditions { LeaseId = held.LeaseId }, c), cancellationToken);
            await CallAsync(c => _blob.GetBlobLeaseClient(held.LeaseId).ReleaseAsync(null, c), cancellationToken);
        }
        catch (RequestFailedException e) when (IsLeaseLost(e))
        {
            // Broken and taken by another run meanwhile: not ours to give back.
        }
    }

    /// <summary>
    /// Takes the lease: Acquire; on <c>LeaseAlreadyPresent</c> read the record, and break a lease whose record expired (or
    /// is this run's, from another process of it, or the dead holder a take-over names) — conditionally on the ETag read —
    /// and acquire it; then write the record with the new lease id. A lease held by anyone else refuses.
    /// </summary>
    private async Task<LeaseResult> ClaimAsync(Lease wanted, Lease? takeOverFrom, CancellationToken cancellationToken)
    {
        // A few turns: the blob may not exist yet, or its holder may release it between our Acquire and our read.
        for (var turn = 0; turn < 3; turn++)
        {
            if (takeOverFrom is null)
            {
                var fresh = _blob.GetBlobLeaseClient(NewLeaseId());
                try
                {
                    await CallAsync(c => fresh.AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration, null, c), cancellationToken);
                    return await RecordAsync(fresh.LeaseId, wanted, cancellationToken);
                }
                catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound)
                {
                    await CreateAsync(cancellationToken);
                    continue;
                }
                catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
                {
                    // Held: whether by a live run is the record's to say.
                }
            }

            var seen = await ReadAsync(cancellationToken);
            if (!seen.Exists)
            {
                await CreateAsync(cancellationToken);
                takeOverFrom = null;
                continue;
            }

            if (!seen.Leased)
            {
                // Released meanwhile (or nothing left to take over): a plain Acquire takes it.
                takeOverFrom = null;
                continue;
            }

            var now = _time.GetUtcNow();
            if (takeOverFrom is { } dead)
            {
                if (seen.Holder is not { } current || current.DeploymentId != dead.DeploymentId || current.Owner != OwnerAsStored(dead.Owner))
                {
                    // Not the holder the take-over was meant for: another run holds it now.
                    return await RefusedAsync(wanted, cancellationToken);
                }
            }
            else if (seen.LiveHolder(now) is { } holder && !SameRun(holder, wanted))
            {
                return new LeaseResult(false, holder);
            }

            var conditions = new RequestConditions { IfMatch = seen.ETag };
            var taking = _blob.GetBlobLeaseClient(NewLeaseId());
            try
            {
                await CallAsync(c => _blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, conditions, c), cancellationToken);
                await CallAsync(c => taking.AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration, conditions, c), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412 || e.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
            {
                // The blob changed since the read (a record landed) or another run took it first.
                return await RefusedAsync(wanted, cancellationToken);
            }

            return await RecordAsync(taking.LeaseId, wanted, cancellationToken);
        }

        return await RefusedAsync(wanted, cancellationToken);
    }

    /// <summary>Writes the record with the lease id; only then does this run hold the lease.</summary>
    private async Task<LeaseResult> RecordAsync(string leaseId, Lease wanted, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(c => _blob.SetMetadataAsync(Metadata(wanted), new BlobRequestConditions { LeaseId = leaseId }, c), cancellationToken);
        }
        catch (RequestFailedException e) when (IsLeaseLost(e))
        {
            // Broken by a run that read the blob before this one's record: that run goes on, this one never acted.
            return await RefusedAsync(wanted, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Held without a record: give it back rather than leave it for the next run to break.
            await TryReleaseAsync(leaseId);
            throw;
        }

        lock (_gate)
        {
            _held = new Held(wanted.DeploymentId, wanted.Owner, leaseId);
        }

        return new LeaseResult(true, wanted);
    }

    /// <summary>A renewal: the record rewritten with this run's lease id; refused once another run broke the lease.</summary>
    private async Task<LeaseResult> RenewAsync(Held held, Lease wanted, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(c => _blob.SetMetadataAsync(Metadata(wanted), new BlobRequestConditions { LeaseId = held.LeaseId }, c), cancellationToken);
            return new LeaseResult(true, wanted);
        }
        catch (RequestFailedException e) when (IsLeaseLost(e) || e.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            lock (_gate)
            {
                _held = null;
            }

            return await RefusedAsync(wanted, cancellationToken);
        }
    }

    /// <summary>
    /// Refused: names the run that holds the lease, reading again briefly if its record has not landed yet; null when no live
    /// record of another run shows (the engine then asks the user to look with `zdp status`, and takes over nothing).
    /// </summary>
    private async Task<LeaseResult> RefusedAsync(Lease wanted, CancellationToken cancellationToken)
    {
        for (var read = 0; read < _options.HolderReads; read++)
        {
            if (read > 0)
            {
                await Task.Delay(_options.HolderReadInterval, _time, cancellationToken);
            }

            var seen = await ReadAsync(cancellationToken);
            if (seen.LiveHolder(_time.GetUtcNow()) is { } holder && !SameRun(holder, wanted))
            {
                return new LeaseResult(false, holder);
            }
        }

        return new LeaseResult(false, null);
    }

    /// <summary>Creates the blob, empty, unless it exists (<c>If-None-Match: *</c>): two runs creating it at once both go on.</summary>
    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(
                c => _blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, c), cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobAlreadyExists || e.Status == 409 || e.Status == 412)
        {
            // Created by another run, or leased by it already: either way there is a blob to lease.
        }
    }

    private async Task<Seen> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await CallAsync(c => _blob.GetPropertiesAsync(null, c), cancellationToken)).Value;
            return new Seen(true, properties.LeaseState is LeaseState.Leased, properties.ETag, Parse(properties.Metadata));
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound || (e.Status == 404 && e.ErrorCode is null or ""))
        {
            // HEAD answers carry no error body: a 404 whose x-ms-error-code is missing is the blob's own absence.
            return new Seen(false, false, default, null);
        }
    }

    private async Task TryReleaseAsync(string leaseId)
    {
        try
        {
            using var budget = new CancellationTokenSource(_options.CallBudget, _time);
            await _blob.GetBlobLeaseClient(leaseId).ReleaseAsync(null, budget.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AuthenticationFailedException)
        {
            // Best effort: a lease left without a record counts as expired, and the next run breaks it.
        }
    }

    /// <summary>One Storage call within <see cref="BlobLeaseOptions.CallBudget"/>; failures other than Storage's answers become one message.</summary>
    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(_options.CallBudget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PlatformException(
                $"Azure Storage did not answer a lease call on {_blob.Uri} within {_options.CallBudget.TotalSeconds:0} s (retries included). " +
                "Fix: check that the storage account is reachable from this machine (firewall, private endpoint), then run zdp again.", e);
        }
        catch (AuthenticationFailedException e)
        {
            // CredentialUnavailableException (nothing in the default chain) derives from it.
            throw new PlatformException(
                $"Entra ID did not issue a Storage token (https://storage.azure.com/.default) to the {_credential} for the lease on {_blob.Uri}: {FirstLine(e.Message)} " +
                "Fix: check the tenant and client id, the secret or the federated credential's issuer, subject and audience.", e);
        }
        catch (RequestFailedException e) when (Translate(e) is { } message)
        {
            throw new PlatformException(message, e.Status == 404 ? PlatformErrorKind.NotFound : PlatformErrorKind.Failure, e);
        }
        catch (AggregateException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Azure.Core's RetryPolicy throws "Retry failed after N tries" with every attempt's exception inside.
            throw new PlatformException(
                $"Azure Storage could not be reached for the lease on {_blob.Uri}: {FirstLine(e.InnerExceptions[^1].Message)} " +
                "Fix: check the account name in " + Field + " and that this machine can reach it, then run zdp again.", e);
        }
    }

    private Task<bool> CallAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) => CallAsync(async c =>
    {
        await call(c);
        return true;
    }, cancellationToken);

    /// <summary>
    /// Storage's answers that are the user's to fix, in words; null for the answers the lease logic handles itself (lease
    /// conflicts, the blob's absence, a failed condition).
    /// </summary>
    private string? Translate(RequestFailedException e)
    {
        var container = new BlobUriBuilder(_blob.Uri).BlobContainerName;
        if (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return $"the container '{container}' of {Field} ({_blob.Uri}) does not exist. " +
                $"Fix: create it once (`az storage container create --auth-mode login --account-name {_blob.AccountName} --name {container}`), or correct blobUrl.";
        }

        if (e.Status == 403 || e.ErrorCode is "AuthorizationPermissionMismatch" or "AuthorizationFailure")
        {
            return $"Azure Storage refused the lease on {_blob.Uri} to the {_credential} ({e.ErrorCode ?? e.Status.ToString(CultureInfo.InvariantCulture)}). " +
                $"Fix: assign the deploying identity the role Storage Blob Data Contributor on container '{container}' (docs/azure.md, \"Least-privilege custom role\"), " +
                "and allow this machine through the account's firewall.";
        }

        if (e.Status == 401 || e.ErrorCode is "InvalidAuthenticationInfo" or "NoAuthenticationInformation")
        {
            return $"Azure Storage did not accept the {_credential}'s token for the lease on {_blob.Uri} ({e.ErrorCode}). " +
                "Fix: check that the storage account is in the identity's tenant and that the account allows Entra ID sign-in.";
        }

        if (e.Status == 0)
        {
            return $"Azure Storage could not be reached for the lease on {_blob.Uri}: {FirstLine(e.Message)} Fix: check the account name in {Field} and that this machine can reach it.";
        }

        if (e.Status >= 500)
        {
            return $"Azure Storage failed the lease call on {_blob.Uri} ({e.Status} {e.ErrorCode}) after its retries. Fix: run zdp again; see https://azure.status.microsoft if it persists.";
        }

        return null;
    }

    private static bool IsLeaseLost(RequestFailedException e) =>
        e.ErrorCode == BlobErrorCode.LeaseIdMismatchWithBlobOperation || e.ErrorCode == BlobErrorCode.LeaseNotPresentWithBlobOperation
        || e.ErrorCode == BlobErrorCode.LeaseLost || e.ErrorCode == BlobErrorCode.LeaseIdMismatchWithLeaseOperation
        || e.ErrorCode == BlobErrorCode.LeaseNotPresentWithLeaseOperation || e.ErrorCode == BlobErrorCode.LeaseIsBrokenAndCannotBeRenewed;

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static string NewLeaseId() => Guid.NewGuid().ToString();

    private static bool SameRun(Lease stored, Lease wanted) => stored.DeploymentId == wanted.DeploymentId && stored.Owner == OwnerAsStored(wanted.Owner);

    /// <summary>Storage allows 8 KiB of metadata; an owner is a host and a process id, kept to 256 characters.</summary>
    private static string OwnerAsStored(string owner) => owner.Length <= 256 ? owner : owner[..256];

    internal static Dictionary<string, string> Metadata(Lease lease) => new(StringComparer.Ordinal)
    {
        [DeploymentKey] = Uri.EscapeDataString(lease.DeploymentId),
        [OwnerKey] = Uri.EscapeDataString(OwnerAsStored(lease.Owner)),
        [ExpiresKey] = lease.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The record in the blob's metadata; null for none or one that is not zdp's (counted as expired).</summary>
    internal static Lease? Parse(IDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        var byName = new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
        if (!byName.TryGetValue(DeploymentKey, out var id) || !byName.TryGetValue(OwnerKey, out var owner) || !byName.TryGetValue(ExpiresKey, out var expires)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || id.Length == 0)
        {
            return null;
        }

        try
        {
            return new Lease(Uri.UnescapeDataString(id), Uri.UnescapeDataString(owner), DateTimeOffset.FromUnixTimeMilliseconds(ms));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private sealed record Held(string DeploymentId, string Owner, string LeaseId);

    /// <summary>The blob as one read saw it: there or not, leased or not, its ETag and its record.</summary>
    private sealed record Seen(bool Exists, bool Leased, ETag ETag, Lease? Holder)
    {
        /// <summary>The record of a lease that is held now and has not expired by <paramref name="now"/>.</summary>
        public Lease? LiveHolder(DateTimeOffset now) => Leased && Holder is { } holder && holder.ExpiresAt > now ? holder : null;
    }
}
