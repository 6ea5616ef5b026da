using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ZdPipelines.Core.Engine.Journals;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Aws.Clients;
using ElbAction = ZdPipelines.Platforms.Aws.Clients.Action;

namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>
/// The deployment lease of one target (a listener's default action, or one rule) held as a listener rule of its own,
/// because ELBv2 has no conditional tag write but refuses a second rule at a priority that is taken
/// (<c>CreateRule</c> → <c>PriorityInUse</c>, elbv2 service-2.json): whoever creates the rule holds the lease.
/// </summary>
/// <remarks>
/// <para>The rule sits at a priority derived from the target's ARN in a reserved window (<see cref="AlbLeaseSlots"/>),
/// so every run looks at the same place; a rule of the user's there moves the lease to the next of a few slots. Its
/// only condition is an <c>http-header</c> named <see cref="HeaderName"/> whose value is the target's key and 128
/// random bits: real traffic never carries that header, and nobody who cannot read the rule can guess the value, so
/// the rule never matches a request. Its action is a fixed response, so it names no target group.</para>
/// <para>The holder, expiry and owner are the rule's <c>zdp:lease</c> tag, written with the rule in the same call.
/// The rule ARN is the fencing token: only its creator tags or deletes that ARN, and a run that takes over an expired
/// lease deletes that exact ARN and creates a new rule, so two takers race on the create and one wins. A renewal is a
/// tag write to the ARN we created; if the rule is gone, the lease is lost.</para>
/// </remarks>
internal sealed class AlbLeaseRule(ElbV2Client elb, string listenerArn, string target, TimeProvider time, AlbCalls calls)
{
    /// <summary>The header of the lease rule's condition. No client sends it; the value is random besides.</summary>
    public const string HeaderName = "X-Zdp-Lease";

    /// <summary>The lease rule's tag: "deploymentId expiresAtUnixMs owner".</summary>
    public const string LeaseTagKey = "zdp:lease";

    private static readonly char[] TagValueAllowed = [' ', '_', '.', ':', '/', '=', '+', '-', '@'];

    private readonly string _targetKey = TargetKey(target);
    private Held? _held;

    /// <summary>The priority this target's lease is tried at first, then the next <see cref="AlbLeaseSlots.ProbeCount"/> − 1 (wrapping in the window).</summary>
    public int FirstPriority { get; } = AlbLeaseSlots.FirstPriorityFor(target);

    private Lease? _presumedDead;

    public bool Holds(string deploymentId) => _held?.Lease.DeploymentId == deploymentId;

    /// <summary>
    /// Takes the lease when it is free or expired, renews it when this platform holds it, or adopts it when the rule
    /// says it is this very deployment and owner; otherwise returns the holder. A wanted lease that is already expired
    /// (`zdp status` asking who holds it) keeps nobody out, so it is answered from a read and nothing is written.
    /// </summary>
    /// <param name="presumedDead">A holder known to be dead (its process is gone, or the user confirmed it): its live rule counts as expired.</param>
    public async Task<LeaseResult> TryAcquireAsync(Lease wanted, CancellationToken cancellationToken, Lease? presumedDead = null)
    {
        _presumedDead = presumedDead;
        var value = FormatLease(wanted);
        if (_held is { } held && held.Lease.DeploymentId == wanted.DeploymentId && held.Lease.Owner == OwnerAsStored(wanted))
        {
            return await RenewAsync(held, wanted, value, cancellationToken);
        }

        if (wanted.ExpiresAt <= time.GetUtcNow())
        {
            return (await ReadAsync(cancellationToken)).Live is { } holder ? new LeaseResult(false, holder.Lease) : new LeaseResult(true, wanted);
        }

        var deletedAny = false;
        for (var round = 0; round < AlbLeaseSlots.MaxRounds; round++)
        {
            var seen = await ReadAsync(cancellationToken);
            if (seen.Live is { } live)
            {
                if (live.Lease!.DeploymentId != wanted.DeploymentId || live.Lease.Owner != OwnerAsStored(wanted))
                {
                    return new LeaseResult(false, live.Lease);
                }

                // Ours by deployment and owner, taken by another platform object of this same run: renew it on its rule.
                return await RenewAsync(Held.Written(live.RuleArn, live.Lease, time.GetUtcNow()), wanted, value, cancellationToken);
            }

            // Expired (or unreadable) leases of this target: a dead run's. Delete exactly those rules, never by priority.
            foreach (var stale in seen.Dead)
            {
                await DeleteAsync(stale.RuleArn, cancellationToken);
                deletedAny = true;
            }

            var priority = seen.FreeSlot(FirstPriority) ?? throw AllSlotsTaken(seen);
            var created = await CreateAsync(priority, value, deletedAny, cancellationToken);
            if (created is null)
            {
                // PriorityInUse: another run created it first (or a rule of the user's appeared there). Look again.
                continue;
            }

            // A rival that chose another slot from an older listing (a rule of the user's left a slot meanwhile) is
            // seen here; then neither keeps the lease rather than both, and the next attempt finds one or none.
            // Our own rule's tag is what we just wrote: only a rival's needs reading (none, almost always).
            var after = await ReadAsync(cancellationToken, ownRule: (created, value));
            if (after.Leases.FirstOrDefault(l => l.RuleArn != created && l.Lease is { } lease && lease.ExpiresAt > after.Now) is { } rival)
            {
                await DeleteAsync(created, cancellationToken);
                return new LeaseResult(false, rival.Lease);
            }

            _held = Held.Written(created, ParseLease(value)!, time.GetUtcNow());
            return new LeaseResult(true, wanted);
        }

        throw new PlatformException(
            $"could not take the deployment lease of {target}: the lease rule at priority {FirstPriority} on {listenerArn} changed {AlbLeaseSlots.MaxRounds} times while zdp tried. " +
            "Fix: run `zdp status` to see who deploys there, then try again.");
    }

    /// <summary>Deletes the rule this platform holds the lease with; a rule that is already gone is fine.</summary>
    public async Task ReleaseAsync(string deploymentId, CancellationToken cancellationToken)
    {
        if (_held is { } held && held.Lease.DeploymentId == deploymentId)
        {
            await DeleteAsync(held.RuleArn, cancellationToken);
            _held = null;
        }
    }

    private async Task<LeaseResult> RenewAsync(Held held, Lease wanted, string value, CancellationToken cancellationToken)
    {
        // By our own clock the lease lapsed (a frozen process, renewals that kept failing): another run may have seen it
        // expired and acted. It is lost whatever the rule says now; our rule is deleted so nobody waits for it.
        if (time.GetUtcNow() >= held.Deadline)
        {
            return await LostAsync(held, cancellationToken);
        }

        if (!await SucceedsAsync(() => elb.AddTagsAsync(new AddTagsRequest { ResourceArns = [held.RuleArn], Tags = [new Tag(LeaseTagKey, value)] }, cancellationToken), held.RuleArn, "RuleNotFound"))
        {
            // Deleted: a run that found it expired took over, or someone removed it by hand.
            _held = null;
            return new LeaseResult(false, (await ReadAsync(cancellationToken)).Live?.Lease);
        }

        // The write must have landed before the old expiry: one that landed later may have been read as expired first.
        if (time.GetUtcNow() >= held.Deadline)
        {
            return await LostAsync(held, cancellationToken);
        }

        _held = Held.Written(held.RuleArn, ParseLease(value)!, time.GetUtcNow());
        return new LeaseResult(true, wanted);
    }

    private async Task<LeaseResult> LostAsync(Held held, CancellationToken cancellationToken)
    {
        _held = null;
        await DeleteAsync(held.RuleArn, cancellationToken);
        return new LeaseResult(false, (await ReadAsync(cancellationToken)).Live?.Lease);
    }

    private async Task<string?> CreateAsync(int priority, string value, bool deletedAny, CancellationToken cancellationToken)
    {
        var request = new CreateRuleRequest
        {
            ListenerArn = listenerArn,
            Priority = priority,
            Conditions =
            [
                new RuleCondition
                {
                    Field = "http-header",
                    HttpHeaderConfig = new HttpHeaderConditionConfig { HttpHeaderName = HeaderName, Values = [$"{_targetKey}.{Nonce()}"] },
                },
            ],
            Actions =
            [
                new ElbAction
                {
                    Type = "fixed-response",
                    FixedResponseConfig = new FixedResponseActionConfig
                    {
                        StatusCode = "404",
                        ContentType = "text/plain",
                        MessageBody = $"zdp deployment lease of {target}; this rule matches no request and is deleted when the deployment ends.",
                    },
                },
            ],
            Tags = [new Tag(LeaseTagKey, value)],
        };
        try
        {
            var response = await calls.RunAsync(() => elb.CreateRuleAsync(request, cancellationToken), listenerArn);
            return response.Rules.SingleOrDefault()?.RuleArn
                ?? throw new PlatformException($"CreateRule on {listenerArn} answered without the rule it created. Fix: check the endpoint (platform.awsAlb.endpointUrl) is ELBv2.");
        }
        catch (PlatformException e) when (CodeOf(e) == "PriorityInUse")
        {
            return null;
        }
        catch (PlatformException e) when (CodeOf(e) == "TooManyRules")
        {
            throw new PlatformException(
                $"the load balancer of {listenerArn} has as many listener rules as its quota allows, and zdp needs one more while a deployment runs: " +
                "its lease is a rule that matches no request (docs/aws.md, \"Lease\"). " +
                "Fix: delete a rule the load balancer no longer uses, or raise \"Rules per Application Load Balancer\" (100 by default) in Service Quotas. " +
                (deletedAny ? "zdp only deleted the expired lease rule of an earlier run." : "Nothing was changed."),
                e.InnerException);
        }
    }

    /// <summary>Deletes one rule by its ARN. A rule that is gone already (RuleNotFound) holds nothing: that is done too.</summary>
    private async Task DeleteAsync(string ruleArn, CancellationToken cancellationToken) =>
        await SucceedsAsync(() => elb.DeleteRuleAsync(new DeleteRuleRequest { RuleArn = ruleArn }, cancellationToken), ruleArn, "RuleNotFound");

    /// <summary>Runs the call through <see cref="AlbCalls"/>; false when AWS answered <paramref name="toleratedCode"/>, which the caller expects.</summary>
    private async Task<bool> SucceedsAsync<T>(Func<Task<T>> call, string resource, string? toleratedCode)
    {
        try
        {
            await calls.RunAsync(call, resource);
            return true;
        }
        catch (PlatformException e) when (toleratedCode is not null && CodeOf(e) == toleratedCode)
        {
            return false;
        }
    }

    private static string? CodeOf(PlatformException e) => (e.InnerException as AwsServiceException)?.Code;

    /// <summary>
    /// The listener's rules (one page: ALB allows 100 per load balancer, a page holds 400) and the tags of this target's
    /// lease rules. A lease rule deleted between the listing and the tag read (AWS answers RuleNotFound) means the
    /// listing is out of date: it is read again, never guessed, since a rule taken for dead would be deleted.
    /// </summary>
    /// <param name="ownRule">A rule this run created, with the tag it created it with: listed, but not read again.</param>
    private async Task<Seen> ReadAsync(CancellationToken cancellationToken, (string RuleArn, string Tag)? ownRule = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var rules = await calls.RunAsync(
                async () =>
                {
                    var all = new List<Rule>();
                    await foreach (var rule in elb.DescribeRulesAllAsync(new DescribeRulesRequest { ListenerArn = listenerArn, PageSize = AlbLeaseSlots.RulesPageSize }, cancellationToken))
                    {
                        all.Add(rule);
                    }

                    return all;
                },
                listenerArn);

            var leases = new List<SeenLease>();
            var current = true;
            if (ownRule is { } own && rules.Any(r => r.RuleArn == own.RuleArn))
            {
                leases.Add(new SeenLease(own.RuleArn, ParseLease(own.Tag)));
            }

            foreach (var batch in rules.Where(IsLeaseRuleOfTarget).Select(r => r.RuleArn!).Where(arn => arn != ownRule?.RuleArn).Chunk(20))
            {
                // DescribeTags takes at most 20 ARNs.
                IReadOnlyList<TagDescription> described = [];
                current = await SucceedsAsync(
                    async () => described = (await elb.DescribeTagsAsync(new DescribeTagsRequest { ResourceArns = batch }, cancellationToken)).TagDescriptions,
                    listenerArn,
                    attempt < AlbLeaseSlots.MaxRounds ? "RuleNotFound" : null);
                if (!current)
                {
                    break;
                }

                leases.AddRange(batch.Select(arn => new SeenLease(
                    arn, ParseLease(described.FirstOrDefault(d => d.ResourceArn == arn)?.Tags?.FirstOrDefault(t => t.Key == LeaseTagKey)?.Value))));
            }

            if (current)
            {
                return new Seen(rules, leases, time.GetUtcNow(), _presumedDead);
            }
        }
    }

    private bool IsLeaseRuleOfTarget(Rule rule) => LeaseKeyOf(rule) == _targetKey;

    /// <summary>The target key in a lease rule's header value ("listener" or a rule id), or null for any other rule.</summary>
    internal static string? LeaseKeyOf(Rule rule)
    {
        if (rule.Conditions is not [{ Field: "http-header", HttpHeaderConfig: { } header }]
            || !string.Equals(header.HttpHeaderName, HeaderName, StringComparison.OrdinalIgnoreCase)
            || header.Values is not [var only])
        {
            return null;
        }

        var dot = only.LastIndexOf('.');
        return dot > 0 ? only[..dot] : null;
    }

    /// <summary>"listener" for a listener's default action, the rule's id (last ARN segment) for a rule: unique per listener.</summary>
    private static string TargetKey(string targetArn) =>
        targetArn.Contains(":listener-rule/", StringComparison.Ordinal) ? targetArn[(targetArn.LastIndexOf('/') + 1)..] : "listener";

    /// <summary>128 random bits as hex. Not a seeded Random: being unguessable is the point, so no request can match the rule.</summary>
    private static string Nonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private PlatformException AllSlotsTaken(Seen seen)
    {
        var slots = AlbLeaseSlots.Probe(FirstPriority).ToList();
        var holders = seen.Rules.Where(r => int.TryParse(r.Priority, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && slots.Contains(p))
            .Select(r => $"{r.Priority}: {r.RuleArn}");
        return new PlatformException(
            $"zdp keeps the deployment lease of {target} in a listener rule at one of the priorities {string.Join(", ", slots)} on {listenerArn}, and rules that are not zdp's hold all of them ({string.Join("; ", holders)}). " +
            $"Fix: move one of those rules to a priority outside {AlbLeaseSlots.WindowStart}-{AlbLeaseSlots.WindowEnd} (`aws elbv2 set-rule-priorities`). Nothing was changed.");
    }

    /// <summary>The owner as the lease tag can hold it, for comparing a wanted lease with the stored one.</summary>
    public static string OwnerAsStored(Lease lease) => ParseLease(FormatLease(lease))!.Owner;

    /// <summary>"deploymentId expiresAtUnixMs owner", in the characters ELB tag values allow (letters, digits, spaces and _ . : / = + - @).</summary>
    public static string FormatLease(Lease lease)
    {
        var owner = new StringBuilder();
        foreach (var c in lease.Owner)
        {
            owner.Append(char.IsLetterOrDigit(c) || TagValueAllowed.Contains(c) ? c : '_');
        }

        var value = $"{lease.DeploymentId} {lease.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)} {(owner.Length == 0 ? "-" : owner)}";
        return value.Length <= JournalTagCodec.TagValueLength ? value : value[..JournalTagCodec.TagValueLength];
    }

    public static Lease? ParseLease(string? value)
    {
        var parts = value?.Split(' ', 3);
        return parts is { Length: 3 } && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? new Lease(parts[0], parts[2], DateTimeOffset.FromUnixTimeMilliseconds(ms))
            : null;
    }

    /// <summary>The rule we hold the lease with, and the last moment a renewal of it may still land (by our clock).</summary>
    private sealed record Held(string RuleArn, Lease Lease, DateTimeOffset Deadline)
    {
        /// <summary>
        /// The deadline is the expiry less the clock-skew allowance, or less a quarter of the lease's lifetime when that
        /// is shorter (a lease of a few seconds in a test would otherwise be lost at its first renewal).
        /// </summary>
        public static Held Written(string ruleArn, Lease lease, DateTimeOffset writtenAt)
        {
            var quarter = (lease.ExpiresAt - writtenAt) / 4;
            var allowance = quarter < AlbLeaseSlots.ClockSkewAllowance ? quarter : AlbLeaseSlots.ClockSkewAllowance;
            return new Held(ruleArn, lease, lease.ExpiresAt - (allowance > TimeSpan.Zero ? allowance : TimeSpan.Zero));
        }
    }

    /// <summary>A lease rule of this target and its parsed tag; a rule whose tag cannot be read counts as expired.</summary>
    private sealed record SeenLease(string RuleArn, Lease? Lease);

    /// <summary>The listener's rules and this target's lease rules as read at <paramref name="Now"/>.</summary>
    private sealed record Seen(IReadOnlyList<Rule> Rules, IReadOnlyList<SeenLease> Leases, DateTimeOffset Now, Lease? PresumedDead = null)
    {
        public SeenLease? Live => Leases.FirstOrDefault(l => !IsDead(l));

        /// <summary>The leases that hold nothing any more (expired, a tag that cannot be read, a holder known dead): a dead run's, which a taker deletes.</summary>
        public IReadOnlyList<SeenLease> Dead => [.. Leases.Where(IsDead)];

        private bool IsDead(SeenLease l) =>
            l.Lease is not { } lease || lease.ExpiresAt <= Now
            || (PresumedDead is { } dead && lease.DeploymentId == dead.DeploymentId && lease.Owner == dead.Owner);

        /// <summary>The first slot from <paramref name="first"/> that no rule holds, counting this target's dead lease rules (deleted just before) as free.</summary>
        public int? FreeSlot(int first)
        {
            var dead = Dead.Select(l => l.RuleArn).ToHashSet(StringComparer.Ordinal);
            var taken = Rules.Where(r => !dead.Contains(r.RuleArn ?? ""))
                .Select(r => int.TryParse(r.Priority, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0)
                .ToHashSet();
            return AlbLeaseSlots.Probe(first).Cast<int?>().FirstOrDefault(slot => !taken.Contains(slot!.Value));
        }
    }
}

/// <summary>Where lease rules go and how long a renewal may be late, each with why.</summary>
internal static class AlbLeaseSlots
{
    /// <summary>
    /// Lease rules live at 49000-49999 of ALB's 1-50000 (RulePriority, elbv2 service-2.json): rules are usually numbered
    /// from the low end, and 50000 itself is left alone for a user's own last rule. A rule that matches nothing changes
    /// no request wherever it sits.
    /// </summary>
    public const int WindowStart = 49000;

    public const int WindowEnd = 49999;

    /// <summary>
    /// Slots tried from a target's first one when rules of the user's hold them: enough to step past a few such rules,
    /// few enough that every run of the target looks at the same handful.
    /// </summary>
    public const int ProbeCount = 8;

    /// <summary>Rounds of "read, create, lost the create" before giving up: each lost create means another run won, which the next read shows.</summary>
    public const int MaxRounds = 3;

    /// <summary>DescribeRules' PageSize maximum (1-400): with ALB's 100 rules per load balancer, one page is all of a listener's rules.</summary>
    public const int RulesPageSize = 400;

    /// <summary>
    /// A renewal must land this long before the lease it extends expires, or it counts as lost: another machine judges
    /// expiry by its own clock. NTP keeps cloud and CI hosts within well under a second; 10 s also covers a slow answer.
    /// </summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromSeconds(10);

    /// <summary>The first slot of a target: the window start plus the first 4 bytes of SHA-256(target ARN) modulo the window size.</summary>
    public static int FirstPriorityFor(string targetArn)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(targetArn));
        var value = BinaryPrimitives.ReadUInt32BigEndian(hash);
        return WindowStart + (int)(value % (WindowEnd - WindowStart + 1));
    }

    /// <summary>The <see cref="ProbeCount"/> slots from <paramref name="first"/>, wrapping inside the window.</summary>
    public static IEnumerable<int> Probe(int first)
    {
        for (var i = 0; i < ProbeCount; i++)
        {
            yield return WindowStart + ((first - WindowStart + i) % (WindowEnd - WindowStart + 1));
        }
    }
}
