using System.Globalization;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Engine.Journals;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.Clients;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// The lease and the journal as ARM tags on the web app (the first app of a rolling deployment), so every machine that can
/// read the app sees a running deployment, and `zdp status`, `resume` and `rollback` work from anywhere. The journal is
/// <see cref="JournalTagCodec"/>'s values in <c>zdp:journal:0</c> … <c>zdp:journal:N-1</c>; the lease is <c>zdp:lease</c>
/// (<see cref="AppServiceLease"/>). Writes merge, so neither overwrites the other nor the user's own tags.
/// </summary>
/// <remarks>ARM keeps at most 50 tags per resource with values of at most 256 characters (<see cref="TagsClient"/>).</remarks>
internal sealed class AppServiceTagStore(TagsClient tags, WebApp app, AppServiceCalls calls, int maxJournalTags)
{
    public const string LeaseKey = "zdp:lease";
    public const string JournalPrefix = "zdp:journal:";

    private int _lastChunkCount = -1;
    private int _otherTags;

    public WebApp App => app;

    public async Task<StoredTags> ReadAsync(CancellationToken cancellationToken)
    {
        var map = await calls.RunAsync(() => tags.GetAtScopeAsync(app.SiteId, cancellationToken), app);
        Learn(map);
        var journal = Decode(map);
        return new StoredTags(map.GetValueOrDefault(LeaseKey), journal);
    }

    public async Task WriteJournalAsync(Journal journal, IReadOnlyDictionary<string, string> extras, CancellationToken cancellationToken)
    {
        var chunks = JournalTagCodec.Encode(journal, extras, TagsClient.MaxValueLength);
        if (_lastChunkCount < 0)
        {
            await ReadAsync(cancellationToken);
        }

        // The lease takes one tag besides the journal; the user's own tags stay.
        if (chunks.Count > maxJournalTags || chunks.Count + 1 + _otherTags > TagsClient.MaxTagsPerResource)
        {
            throw new PlatformException(
                $"the journal of deployment {journal.DeploymentId} needs {chunks.Count} tags on web app '{app.Name}', and ARM allows {TagsClient.MaxTagsPerResource} per resource " +
                $"(zdp uses at most {maxJournalTags} for the journal and one for the lease; the app has {_otherTags} of its own). " +
                "Fix: remove tags of the app you do not need, or deploy fewer apps in one rolling deployment.");
        }

        var values = chunks.Select((value, i) => (Key: JournalPrefix + i.ToString(CultureInfo.InvariantCulture), Value: value)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var after = await calls.RunAsync(() => tags.UpdateAtScopeAsync(app.SiteId, TagPatchMode.Merge, values, cancellationToken), app);
        Learn(after);
        var stale = after.Where(t => t.Key.StartsWith(JournalPrefix, StringComparison.OrdinalIgnoreCase) && !values.ContainsKey(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        if (stale.Count > 0)
        {
            // Chunks of a longer journal: harmless to readers (chunk 0 says how many count), removed to free tags.
            Learn(await calls.RunAsync(() => tags.UpdateAtScopeAsync(app.SiteId, TagPatchMode.Delete, stale, cancellationToken), app));
        }
    }

    /// <summary>Writes the lease tag (merged: the journal and other tags stay).</summary>
    public async Task WriteLeaseAsync(string value, CancellationToken cancellationToken) =>
        Learn(await calls.RunAsync(() => tags.UpdateAtScopeAsync(app.SiteId, TagPatchMode.Merge, new Dictionary<string, string> { [LeaseKey] = value }, cancellationToken), app));

    /// <summary>
    /// Removes the lease tag if it still holds <paramref name="value"/>: a Delete with the name and the value, which ARM applies
    /// only to a tag with that value ("name/value pairs", resources.json), so another run's lease written meanwhile stays.
    /// </summary>
    public async Task DeleteLeaseAsync(string value, CancellationToken cancellationToken) =>
        Learn(await calls.RunAsync(() => tags.UpdateAtScopeAsync(app.SiteId, TagPatchMode.Delete, new Dictionary<string, string> { [LeaseKey] = value }, cancellationToken), app));

    private void Learn(IReadOnlyDictionary<string, string> map)
    {
        _lastChunkCount = map.Keys.Count(k => k.StartsWith(JournalPrefix, StringComparison.OrdinalIgnoreCase));
        _otherTags = map.Keys.Count(k => !k.StartsWith(JournalPrefix, StringComparison.OrdinalIgnoreCase) && !string.Equals(k, LeaseKey, StringComparison.OrdinalIgnoreCase));
    }

    private static (Journal Journal, IReadOnlyDictionary<string, string> Extras)? Decode(IReadOnlyDictionary<string, string> map)
    {
        // ARM tag names are case-insensitive; look them up so.
        var byName = new Dictionary<string, string>(map, StringComparer.OrdinalIgnoreCase);
        try
        {
            return JournalTagCodec.Decode(i => byName.GetValueOrDefault(JournalPrefix + i.ToString(CultureInfo.InvariantCulture)));
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new PlatformException(
                $"the zdp journal in the tags of the web app is damaged ({e.Message}). Fix: run `zdp status` again; if it persists, remove the zdp:journal:* tags and check the slots by hand.", e);
        }
    }
}

/// <summary>The zdp tags of the app as read: the lease tag's value (null when there is none), and the journal with its extras.</summary>
internal sealed record StoredTags(string? LeaseValue, (Journal Journal, IReadOnlyDictionary<string, string> Extras)? Journal);
