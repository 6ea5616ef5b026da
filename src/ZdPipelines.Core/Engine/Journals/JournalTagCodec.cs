using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Core.Engine.Journals;

/// <summary>
/// The journal as it fits in resource tags, for any store that keeps it in tags (ELBv2 listener tags, ARM resource
/// tags): everything but the plan and the rollback steps (the engine rebuilds the plan from the spec and the starting
/// state, which is deterministic; a rollback recomputes its steps from the live state), targets written as runs, then
/// gzip and base64 cut into tag values. The first value is prefixed "N:" with the number of values, so a reader never
/// joins values of two different writes. A store adds its own facts beside the journal as <c>extras</c>.
/// </summary>
public static class JournalTagCodec
{
    /// <summary>ELBv2 TagValue: "Maximum length of 256" (elbv2 2015-12-01 model); ARM tag values: 256 characters too.</summary>
    public const int TagValueLength = 256;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    /// <summary>The tag values, in order; the first carries the count.</summary>
    public static IReadOnlyList<string> Encode(Journal journal, IReadOnlyDictionary<string, string> extras, int valueLength = TagValueLength)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(extras);
        var stored = new StoredJournal
        {
            Id = journal.DeploymentId,
            Service = journal.Service,
            Strategy = journal.Strategy,
            Status = journal.Status,
            Done = journal.StepsCompleted,
            Start = StoredStart.From(journal.Start),
            StartedAt = journal.StartedAt,
            Digest = journal.SpecDigest,
            StepAt = journal.CurrentStepStartedAt,
            RollbackDone = journal.RollbackStepsCompleted,
            UpdatedAt = journal.UpdatedAt,
            Promote = journal.PromoteRequested,
            Abort = journal.AbortRequested,
            Reason = journal.Reason,
            KeptUntil = journal.PreviousKeptUntil,
            Extras = extras.Count == 0 ? null : new Dictionary<string, string>(extras, StringComparer.Ordinal),
        };

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, stored, Json);
        }

        return Frame(Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length), valueLength);
    }

    /// <summary>
    /// The journal (its plan <see cref="DeploymentPlan.NotStored"/>) and the store's extras, from the tag values that
    /// <paramref name="valueAt"/> gives by index; null when there is no journal (no value 0).
    /// </summary>
    public static (Journal Journal, IReadOnlyDictionary<string, string> Extras)? Decode(Func<int, string?> valueAt)
    {
        ArgumentNullException.ThrowIfNull(valueAt);
        if (valueAt(0) is not { } first || first.IndexOf(':', StringComparison.Ordinal) is var colon && colon < 1
            || !int.TryParse(first.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return null;
        }

        var text = new StringBuilder(first[(colon + 1)..]);
        for (var i = 1; i < count; i++)
        {
            text.Append(valueAt(i) ?? throw new PlatformException(
                $"the zdp journal is incomplete (tag {i} of {count} is missing). Fix: run `zdp status` again; if it persists, remove the zdp journal tags and check the platform by hand."));
        }

        var bytes = Convert.FromBase64String(text.ToString());
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        var stored = JsonSerializer.Deserialize<StoredJournal>(gzip, Json) ?? throw new InvalidDataException("the journal tags hold no journal");
        var journal = new Journal
        {
            DeploymentId = stored.Id,
            Service = stored.Service,
            Strategy = stored.Strategy,
            Status = stored.Status,
            Plan = DeploymentPlan.NotStored(stored.Strategy),
            StepsCompleted = stored.Done,
            Start = stored.Start.ToSnapshot(),
            StartedAt = stored.StartedAt,
            SpecDigest = stored.Digest,
            CurrentStepStartedAt = stored.StepAt,
            RollbackStepsCompleted = stored.RollbackDone,
            UpdatedAt = stored.UpdatedAt,
            PromoteRequested = stored.Promote,
            AbortRequested = stored.Abort,
            Reason = stored.Reason,
            PreviousKeptUntil = stored.KeptUntil,
        };
        return (journal, stored.Extras ?? new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private static List<string> Frame(string text, int valueLength)
    {
        // Cut so that value 0 has room for its "N:" prefix.
        for (var n = 1; ; n++)
        {
            var prefix = n.ToString(CultureInfo.InvariantCulture) + ":";
            var first = valueLength - prefix.Length;
            var needed = text.Length <= first ? 1 : 1 + (int)Math.Ceiling((text.Length - first) / (double)valueLength);
            if (needed != n)
            {
                continue;
            }

            var values = new List<string> { prefix + text[..Math.Min(first, text.Length)] };
            for (var at = first; at < text.Length; at += valueLength)
            {
                values.Add(text.Substring(at, Math.Min(valueLength, text.Length - at)));
            }

            return values;
        }
    }

    private sealed record StoredJournal
    {
        public string Id { get; init; } = "";
        public string Service { get; init; } = "";
        public string Strategy { get; init; } = "";
        public DeploymentStatus Status { get; init; }
        public int Done { get; init; }
        public StoredStart Start { get; init; } = new();
        public DateTimeOffset StartedAt { get; init; }
        public string? Digest { get; init; }
        public DateTimeOffset? StepAt { get; init; }
        public int RollbackDone { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public bool Promote { get; init; }
        public bool Abort { get; init; }
        public string? Reason { get; init; }
        public DateTimeOffset? KeptUntil { get; init; }
        public Dictionary<string, string>? Extras { get; init; }
    }

    private sealed record StoredStart
    {
        public Side Active { get; init; }
        public int Weight { get; init; }
        public long IntervalMs { get; init; }
        public int Threshold { get; init; }
        public long DrainMs { get; init; }
        public string? Address { get; init; }
        public string? Preview { get; init; }
        public Side? PreviewSide { get; init; }
        public List<StoredGroup> Targets { get; init; } = [];

        public static StoredStart From(PlatformSnapshot s) => new()
        {
            Active = s.ActiveSide,
            Weight = s.CandidateWeight,
            IntervalMs = (long)s.Timings.HealthCheckInterval.TotalMilliseconds,
            Threshold = s.Timings.HealthyThreshold,
            DrainMs = (long)s.Timings.DeregistrationDelay.TotalMilliseconds,
            Address = s.Address,
            Preview = s.PreviewAddress,
            PreviewSide = s.PreviewSide,
            Targets = [.. s.Targets
                .GroupBy(t => (t.Side, t.Registered, t.Health, t.Updated))
                .Select(g => new StoredGroup { S = g.Key.Side, R = g.Key.Registered, H = g.Key.Health, U = g.Key.Updated, Ids = TargetIdRuns.Encode(g.Select(t => t.Id)) })],
        };

        public PlatformSnapshot ToSnapshot() => new()
        {
            ActiveSide = Active,
            CandidateWeight = Weight,
            Timings = new PlatformTimings
            {
                HealthCheckInterval = TimeSpan.FromMilliseconds(IntervalMs),
                HealthyThreshold = Threshold,
                DeregistrationDelay = TimeSpan.FromMilliseconds(DrainMs),
            },
            Address = Address,
            PreviewAddress = Preview,
            PreviewSide = PreviewSide,
            // The same order ObserveAsync gives: by side, then by id.
            Targets = [.. Targets
                .SelectMany(g => TargetIdRuns.Decode(g.Ids).Select(id => new TargetStatus(id, g.S, g.R, g.H, g.U)))
                .OrderBy(t => t.Side)
                .ThenBy(t => t.Id, StringComparer.Ordinal)],
        };
    }

    private sealed record StoredGroup
    {
        public Side S { get; init; }
        public bool R { get; init; }
        public TargetHealth H { get; init; }
        public bool U { get; init; }
        public string Ids { get; init; } = "";
    }
}
