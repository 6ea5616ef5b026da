using System.Globalization;
using System.Security.Cryptography;
using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// The deployment lease as the app's <c>zdp:lease</c> tag: "deploymentId expiresAtUnixMs nonce owner". ARM has no conditional
/// write for tags or sites (no <c>etag</c>, no <c>If-Match</c> in resources.json or WebApps.json), so this is the best lease
/// tags allow, and not an atomic one: read it; if it is free, expired or ours, write it with a fresh random nonce; wait
/// <see cref="AppServicePlatformOptions.LeaseSettleDelay"/>; read it again and hold it only if the nonce is still ours. Of two
/// runs that write within the delay, the one whose write landed last keeps it and the other backs off.
/// </summary>
/// <remarks>
/// <para>Two runs can still both hold it: when one run's write lands after the other's second read, i.e. more than the settle
/// delay after its own first read (a write retried after a 429's Retry-After, a process paused between read and write), or
/// when ARM answers a read from a replica that has not seen the other write. docs/azure.md ("The lease") says so and what would
/// make it atomic (an Azure Storage blob lease).</para>
/// <para>A renewal reads the tag and rewrites it only while it still carries this run's nonce; release deletes it by name
/// and value, so a rival's lease written meanwhile is never removed.</para>
/// </remarks>
internal sealed class AppServiceLease(AppServiceTagStore store, TimeProvider time, TimeSpan settleDelay) : IAppServiceLease
{
    private Held? _held;

    public string Note =>
        "lease: a tag on the app, checked again after a settle delay; ARM has no conditional write, so two runs started at the same moment are unlikely but not impossible to both proceed " +
        "(docs/azure.md, \"The lease\"; platform.azureAppService.lease.blobUrl makes it atomic).";

    /// <summary>The tags are read by the platform's own verification already.</summary>
    public Task VerifyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A tag cannot be replaced only if it still holds one given value, so a take-over could overwrite a live run's lease
    /// written meanwhile: it is refused, as <see cref="IDeploymentStore"/>'s default does, and the dead run's tag lapses.
    /// </summary>
    public Task<LeaseResult> TakeOverAsync(Lease wanted, Lease holder, CancellationToken cancellationToken) => Task.FromResult(new LeaseResult(false, holder));

    public bool Holds(string deploymentId) => _held?.Lease.DeploymentId == deploymentId;

    /// <summary>Takes the lease when it is free, expired, or this run's; otherwise returns the holder.</summary>
    public async Task<LeaseResult> TryAcquireAsync(Lease wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var now = time.GetUtcNow();
        var current = Parse((await store.ReadAsync(cancellationToken)).LeaseValue);
        var live = current is { } c && c.Lease.ExpiresAt > now ? c : null;

        // A wanted lease that is already expired (`zdp status` asking who holds it) keeps nobody out: answered from the read.
        if (wanted.ExpiresAt <= now)
        {
            return live is not null && !SameRun(live.Lease, wanted) ? new LeaseResult(false, live.Lease) : new LeaseResult(true, wanted);
        }

        var heldForThis = _held is { } h && h.Lease.DeploymentId == wanted.DeploymentId ? h : null;
        if (live is not null && !SameRun(live.Lease, wanted))
        {
            if (heldForThis is not null)
            {
                // Ours until another run wrote over it: lost.
                _held = null;
            }

            return new LeaseResult(false, live.Lease);
        }

        if (heldForThis is { } held)
        {
            if (live is not null && live.Nonce == held.Nonce)
            {
                // A renewal of the lease this run holds: nobody else writes over a lease that is live, so no settle is needed.
                var renewed = new Held(wanted with { Owner = OwnerAsStored(wanted.Owner) }, held.Nonce);
                await store.WriteLeaseAsync(renewed.Value, cancellationToken);
                _held = renewed;
                return new LeaseResult(true, wanted);
            }

            // Held by this run once, and expired by now or rewritten: another run may have acted since, so it is lost, not renewed.
            _held = null;
            return new LeaseResult(false, live?.Lease ?? current?.Lease);
        }

        var mine = new Held(wanted with { Owner = OwnerAsStored(wanted.Owner) }, Nonce());
        await store.WriteLeaseAsync(mine.Value, cancellationToken);
        await Task.Delay(settleDelay, time, cancellationToken);
        var after = Parse((await store.ReadAsync(cancellationToken)).LeaseValue);
        if (after?.Nonce == mine.Nonce)
        {
            _held = mine;
            return new LeaseResult(true, wanted);
        }

        // Another run wrote after us: it holds the lease, we back off without having acted.
        return new LeaseResult(false, after?.Lease);
    }

    /// <summary>Deletes the lease tag if it still carries this run's value; another run's lease is left alone.</summary>
    public async Task ReleaseAsync(string deploymentId, CancellationToken cancellationToken)
    {
        if (_held is { } held && held.Lease.DeploymentId == deploymentId)
        {
            _held = null;
            await store.DeleteLeaseAsync(held.Value, cancellationToken);
        }
    }

    /// <summary>The lease a tag value holds; null for none or a value that is not one.</summary>
    internal static Held? Parse(string? value)
    {
        if (value?.Split(' ', 4) is not [var id, var expires, var nonce, var owner] || id.Length == 0
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return null;
        }

        return new Held(new Lease(id, owner, DateTimeOffset.FromUnixTimeMilliseconds(ms)), nonce);
    }

    private static bool SameRun(Lease stored, Lease wanted) => stored.DeploymentId == wanted.DeploymentId && stored.Owner == OwnerAsStored(wanted.Owner);

    /// <summary>The owner as it fits in the tag beside the rest (ARM: 256 characters per value).</summary>
    private static string OwnerAsStored(string owner) => owner.Length <= 120 ? owner : owner[..120];

    private static string Nonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A lease as written, with the nonce that tells this run's write from another's.</summary>
    internal sealed record Held(Lease Lease, string Nonce)
    {
        public string Value => $"{Lease.DeploymentId} {Lease.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)} {Nonce} {Lease.Owner}";
    }
}
