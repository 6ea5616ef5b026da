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
/// <para>`zdp promote` and `zdp abort` are tags of their own, <c>zdp:promote</c> and <c>zdp:abort</c>, whose value is the
/// deployment id: the process that asks writes only that tag, and the running deployment's journal writes never touch it,
/// so neither erases the other and the running deployment writes without reading first. It reads them (one DescribeTags)
/// when it looks for requests, and removes <c>zdp:promote</c> when a pause takes it.</para>
/// </remarks>
internal sealed class AlbTagStore(ElbV2Client elb, string resourceArn, int maxJournalTags, AlbCalls calls)
{
    /// <summary>The lease tag of zdp versions that kept it on the deployed resource itself: read, never written.</summary>
    public const string LegacyLeaseKey = "zdp:lease";
    public const string JournalPrefix = "zdp:journal:";
    public const string PromoteKey = "zdp:promote";
    public const string AbortKey = "zdp:abort";

    /// <summary>The request tags, counted in the tags zdp may use on the resource.</summary>
    public const int SignalTags = 2;

    private int _lastChunkCount = -1;
    private string? _promoteOf;

    public string ResourceArn => resourceArn;

    public async Task<StoredTags> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await calls.RunAsync(() => elb.DescribeTagsAsync(new DescribeTagsRequest { ResourceArns = [resourceArn] }, cancellationToken), resourceArn);
        var tags = response.TagDescriptions.FirstOrDefault(d => d.ResourceArn == resourceArn)?.Tags ?? (response.TagDescriptions.Count > 0 ? response.TagDescriptions[0].Tags : null) ?? [];
        var map = tags.ToDictionary(t => t.Key, t => t.Value ?? "", StringComparer.Ordinal);
        var journal = JournalTagCodec.Decode(i => map.GetValueOrDefault(JournalPrefix + i.ToString(CultureInfo.InvariantCulture)));
        _promoteOf = map.GetValueOrDefault(PromoteKey);
        var withSignals = journal is { } decoded
            ? decoded.Journal with
            {
                // Flags inside the journal are what zdp versions before the request tags wrote; still honoured.
                PromoteRequested = decoded.Journal.PromoteRequested || _promoteOf == decoded.Journal.DeploymentId,
                AbortRequested = decoded.Journal.AbortRequested || map.GetValueOrDefault(AbortKey) == decoded.Journal.DeploymentId,
            }
            : null;
        var stored = new StoredTags(AlbLeaseRule.ParseLease(map.GetValueOrDefault(LegacyLeaseKey)), journal is { } j ? (withSignals!, AlbJournalExtras.From(j.Extras)) : null);
        _lastChunkCount = map.Keys.Count(k => k.StartsWith(JournalPrefix, StringComparison.Ordinal));
        return stored;
    }

    /// <summary>
    /// Writes the journal (the running deployment's write: it holds the lease). The request flags are not part of it: a
    /// promote the journal no longer carries, that the last read saw, was taken by a pause and its tag is removed.
    /// </summary>
    public async Task WriteJournalAsync(Journal journal, AlbJournalExtras extras, CancellationToken cancellationToken)
    {
        var chunks = JournalTagCodec.Encode(journal with { PromoteRequested = false, AbortRequested = false }, extras.ToTags());
        if (chunks.Count > maxJournalTags - SignalTags)
        {
            throw new PlatformException(
                $"the journal of deployment {journal.DeploymentId} needs {chunks.Count} tags on {resourceArn}, more than the {maxJournalTags - SignalTags} zdp may use there. " +
                "Fix: deploy fewer targets at once, or remove other tags from the listener (ALB allows 50 per resource).");
        }

        if (_lastChunkCount < 0)
        {
            await ReadAsync(cancellationToken);
        }

        var tags = chunks.Select((value, i) => new Tag(JournalPrefix + i.ToString(CultureInfo.InvariantCulture), value)).ToList();
        await calls.RunAsync(() => elb.AddTagsAsync(new AddTagsRequest { ResourceArns = [resourceArn], Tags = tags }, cancellationToken), resourceArn);
        // Stale chunks of a longer journal: harmless to readers (chunk 0 says how many count), removed to free tags.
        var remove = Enumerable.Range(chunks.Count, Math.Max(0, _lastChunkCount - chunks.Count)).Select(i => JournalPrefix + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var promoteTaken = !journal.PromoteRequested && _promoteOf == journal.DeploymentId;
        if (promoteTaken)
        {
            remove.Add(PromoteKey);
        }

        if (remove.Count > 0)
        {
            await calls.RunAsync(() => elb.RemoveTagsAsync(new RemoveTagsRequest { ResourceArns = [resourceArn], TagKeys = remove }, cancellationToken), resourceArn);
        }

        _lastChunkCount = chunks.Count;
        if (promoteTaken)
        {
            _promoteOf = null;
        }
    }

    /// <summary>`zdp promote` or `zdp abort`: writes only the request's tag, so the running deployment's journal is never written over.</summary>
    public async Task WriteSignalsAsync(Journal journal, CancellationToken cancellationToken)
    {
        var tags = new List<Tag>();
        if (journal.PromoteRequested)
        {
            tags.Add(new Tag(PromoteKey, journal.DeploymentId));
        }

        if (journal.AbortRequested)
        {
            tags.Add(new Tag(AbortKey, journal.DeploymentId));
        }

        if (tags.Count > 0)
        {
            await calls.RunAsync(() => elb.AddTagsAsync(new AddTagsRequest { ResourceArns = [resourceArn], Tags = tags }, cancellationToken), resourceArn);
        }
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
