using System.Globalization;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Engine.Journals;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>
/// The journal as tags on the listener (or rule) being deployed, so every machine that can read the load balancer sees
/// a running deployment, and `zdp status`, `resume` and `rollback` work from anywhere. The lease is not here: a tag
/// write cannot be conditional, so two runs could both see a free tag and both take it; it is a listener rule of its
/// own (<see cref="AlbLeaseRule"/>).
/// </summary>
/// <remarks>
/// The journal is <see cref="JournalTagCodec"/>'s values in <c>zdp:journal:0</c> … <c>zdp:journal:N-1</c>, the first
/// prefixed with "N:" so that a reader never joins chunks of two different writes. <c>zdp:lease</c> on this resource
/// is where zdp versions before the lease rule kept their lease; it is still read, so that a run of such a version
/// that is still going is not run over, but never written.
/// </remarks>
internal sealed class AlbTagStore(ElbV2Client elb, string resourceArn, int maxJournalTags, AlbCalls calls)
{
    /// <summary>The lease tag of zdp versions that kept it on the deployed resource itself: read, never written.</summary>
    public const string LegacyLeaseKey = "zdp:lease";
    public const string JournalPrefix = "zdp:journal:";

    private int _lastChunkCount = -1;

    public string ResourceArn => resourceArn;

    public async Task<StoredTags> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await calls.RunAsync(() => elb.DescribeTagsAsync(new DescribeTagsRequest { ResourceArns = [resourceArn] }, cancellationToken), resourceArn);
        var tags = response.TagDescriptions.FirstOrDefault(d => d.ResourceArn == resourceArn)?.Tags ?? (response.TagDescriptions.Count > 0 ? response.TagDescriptions[0].Tags : null) ?? [];
        var map = tags.ToDictionary(t => t.Key, t => t.Value ?? "", StringComparer.Ordinal);
        var journal = JournalTagCodec.Decode(i => map.GetValueOrDefault(JournalPrefix + i.ToString(CultureInfo.InvariantCulture)));
        var stored = new StoredTags(AlbLeaseRule.ParseLease(map.GetValueOrDefault(LegacyLeaseKey)), journal is { } j ? (j.Journal, AlbJournalExtras.From(j.Extras)) : null);
        _lastChunkCount = map.Keys.Count(k => k.StartsWith(JournalPrefix, StringComparison.Ordinal));
        return stored;
    }

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

}

/// <summary>The zdp tags of the resource as read: a legacy lease tag, and the journal with the ALB facts beside it (null when there is no journal).</summary>
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
