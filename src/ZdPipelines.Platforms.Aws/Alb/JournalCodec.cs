using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>
/// The journal as it fits in resource tags: everything but the plan and the rollback steps (the plan is rebuilt from
/// the spec and the starting state, which is deterministic; a rollback recomputes its steps from the live state),
/// targets written as runs, then gzip and base64 cut into 256-character tag values.
/// </summary>
internal static class JournalCodec
{
    /// <summary>ELBv2 TagValue: "Maximum length of 256" (elbv2 2015-12-01 model).</summary>
    public const int TagValueLength = 256;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public static IReadOnlyList<string> Encode(Journal journal, AlbJournalExtras extras)
    {
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
            Stable = extras.StableTargetGroupArn,
            AttachedIdle = extras.AttachedIdle,
        };

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, stored, Json);
        }

        var text = Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
        return [.. text.Chunk(TagValueLength).Select(c => new string(c))];
    }

    /// <summary>The journal without its plan (filled by the caller), and the ALB facts kept beside it.</summary>
    public static (Journal Journal, AlbJournalExtras Extras) Decode(IReadOnlyList<string> chunks)
    {
        var bytes = Convert.FromBase64String(string.Concat(chunks));
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        var stored = JsonSerializer.Deserialize<StoredJournal>(gzip, Json) ?? throw new InvalidDataException("the journal tags hold no journal");
        var journal = new Journal
        {
            DeploymentId = stored.Id,
            Service = stored.Service,
            Strategy = stored.Strategy,
            Status = stored.Status,
            Plan = new DeploymentPlan(stored.Strategy, [], [], TimeSpan.Zero, []),
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
        return (journal, new AlbJournalExtras(stored.Stable, stored.AttachedIdle));
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
        public string Stable { get; init; } = "";
        public bool AttachedIdle { get; init; }
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

/// <summary>What the ALB platform keeps beside the journal: which target group was stable, and how the forward action was written.</summary>
/// <param name="StableTargetGroupArn">The target group that served when the deployment started.</param>
/// <param name="AttachedIdle">The forward action listed both target groups at the start, the idle one with weight 0.</param>
internal sealed record AlbJournalExtras(string StableTargetGroupArn, bool AttachedIdle);
