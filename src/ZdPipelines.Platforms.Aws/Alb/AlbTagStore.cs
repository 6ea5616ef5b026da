using System.Globalization;
using System.Text;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Engine.Journals;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>
/// Lease and journal as tags on the listener (or rule) being deployed, so every machine that can read the load
/// balancer sees a running deployment, and `zdp status`, `resume` and `rollback` work from anywhere.
/// </summary>
/// <remarks>
/// <c>zdp:lease</c> is "deploymentId expiresAtUnixMs owner". The journal is <see cref="JournalTagCodec"/>'s values in
/// <c>zdp:journal:0</c> … <c>zdp:journal:N-1</c>, the first prefixed with "N:" so that a reader never joins chunks
/// of two different writes. A lease is taken by reading then writing the tag: two runs started within the same
/// second could both see it free; the engine's renewals (which re-read it) then stop the one that lost.
/// </remarks>
internal sealed class AlbTagStore(ElbV2Client elb, string resourceArn, int maxJournalTags, AlbCalls calls)
{
    public const string LeaseKey = "zdp:lease";
    public const string JournalPrefix = "zdp:journal:";

    private int _lastChunkCount = -1;

    public string ResourceArn => resourceArn;

    public async Task<StoredTags> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await calls.RunAsync(() => elb.DescribeTagsAsync(new DescribeTagsRequest { ResourceArns = [resourceArn] }, cancellationToken), resourceArn);
        var tags = response.TagDescriptions.FirstOrDefault(d => d.ResourceArn == resourceArn)?.Tags ?? (response.TagDescriptions.Count > 0 ? response.TagDescriptions[0].Tags : null) ?? [];
        var map = tags.ToDictionary(t => t.Key, t => t.Value ?? "", StringComparer.Ordinal);
        var journal = JournalTagCodec.Decode(i => map.GetValueOrDefault(JournalPrefix + i.ToString(CultureInfo.InvariantCulture)));
        var stored = new StoredTags(ParseLease(map.GetValueOrDefault(LeaseKey)), journal is { } j ? (j.Journal, AlbJournalExtras.From(j.Extras)) : null);
        _lastChunkCount = map.Keys.Count(k => k.StartsWith(JournalPrefix, StringComparison.Ordinal));
        return stored;
    }

    public Task WriteLeaseAsync(Lease lease, CancellationToken cancellationToken) =>
        calls.RunAsync(() => elb.AddTagsAsync(new AddTagsRequest { ResourceArns = [resourceArn], Tags = [new Tag(LeaseKey, FormatLease(lease))] }, cancellationToken), resourceArn);

    public Task RemoveLeaseAsync(CancellationToken cancellationToken) =>
        calls.RunAsync(() => elb.RemoveTagsAsync(new RemoveTagsRequest { ResourceArns = [resourceArn], TagKeys = [LeaseKey] }, cancellationToken), resourceArn);

    public async Task WriteJournalAsync(Journal journal, AlbJournalExtras extras, CancellationToken cancellationToken)
    {
        var chunks = JournalTagCodec.Encode(journal, extras.ToTags());
        if (chunks.Count > maxJournalTags)
        {
            throw new PlatformException(
                $"the journal of deployment {journal.DeploymentId} needs {chunks.Count} tags on {resourceArn}, more than the {maxJournalTags} zdp may use there. " +
                "Fix: deploy fewer targets at once, or remove other tags from the listener (ALB allows 50 per resource).");
        }

        if (_lastChunkCount < 0)
        {
            await ReadAsync(cancellationToken);
        }

        var tags = chunks.Select((value, i) => new Tag(JournalPrefix + i.ToString(CultureInfo.InvariantCulture), value)).ToList();
        await calls.RunAsync(() => elb.AddTagsAsync(new AddTagsRequest { ResourceArns = [resourceArn], Tags = tags }, cancellationToken), resourceArn);
        if (_lastChunkCount > chunks.Count)
        {
            // Stale chunks of a longer journal: harmless to readers (chunk 0 says how many count), removed to free tags.
            var stale = Enumerable.Range(chunks.Count, _lastChunkCount - chunks.Count).Select(i => JournalPrefix + i.ToString(CultureInfo.InvariantCulture)).ToList();
            await calls.RunAsync(() => elb.RemoveTagsAsync(new RemoveTagsRequest { ResourceArns = [resourceArn], TagKeys = stale }, cancellationToken), resourceArn);
        }

        _lastChunkCount = chunks.Count;
    }

    /// <summary>The owner as the lease tag can hold it, for comparing a wanted lease with the stored one.</summary>
    public static string OwnerAsStored(Lease lease) => ParseLease(FormatLease(lease))!.Owner;

    private static string FormatLease(Lease lease)
    {
        // ELB tag values allow letters, digits, spaces and _ . : / = + - @ only.
        var owner = new StringBuilder();
        foreach (var c in lease.Owner)
        {
            owner.Append(char.IsLetterOrDigit(c) || c is ' ' or '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@' ? c : '_');
        }

        var value = $"{lease.DeploymentId} {lease.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)} {(owner.Length == 0 ? "-" : owner)}";
        return value.Length <= JournalTagCodec.TagValueLength ? value : value[..JournalTagCodec.TagValueLength];
    }

    private static Lease? ParseLease(string? value)
    {
        var parts = value?.Split(' ', 3);
        return parts is { Length: 3 } && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? new Lease(parts[0], parts[2], DateTimeOffset.FromUnixTimeMilliseconds(ms))
            : null;
    }
}

/// <summary>The zdp tags of the resource as read: the lease, and the journal with the ALB facts beside it (null when there is no journal).</summary>
internal sealed record StoredTags(Lease? Lease, (Journal Journal, AlbJournalExtras Extras)? Journal);

/// <summary>What the ALB platform keeps beside the journal: which target group was stable, and how the forward action was written.</summary>
/// <param name="StableTargetGroupArn">The target group that served when the deployment started.</param>
/// <param name="AttachedIdle">The forward action listed both target groups at the start, the idle one with weight 0.</param>
internal sealed record AlbJournalExtras(string StableTargetGroupArn, bool AttachedIdle)
{
    public IReadOnlyDictionary<string, string> ToTags() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["stable"] = StableTargetGroupArn,
        ["attachedIdle"] = AttachedIdle ? "true" : "false",
    };

    public static AlbJournalExtras From(IReadOnlyDictionary<string, string> extras) =>
        new(extras.GetValueOrDefault("stable") ?? "", extras.GetValueOrDefault("attachedIdle") == "true");
}
