using System.Globalization;
using ElbAction = ZdPipelines.Platforms.Aws.Clients.Action;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Platforms.Aws.Clients;
using ZdPipelines.Platforms.Aws.Spec;
using TargetHealth = ZdPipelines.Core.Platforms.TargetHealth;

namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>
/// An Application Load Balancer listener (its default action) or one listener rule. Blue-green switches the forward
/// action between the two target groups, canary writes a weighted forward, rolling deregisters and registers targets
/// of the one target group the action forwards to. The journal lives in tags on the listener or rule, the lease in a
/// listener rule of its own that matches no request.
/// </summary>
/// <remarks>
/// Sides: stable is the target group that served when the deployment started, candidate the other one. While a
/// deployment is in effect (running, or its blue-green rollback window still open) that assignment comes from the
/// journal, so another machine sees the same sides; otherwise it is read off the live forward action.
/// </remarks>
internal sealed class AlbPlatform : IPlatform, ITrafficSwitch, IWeightedTrafficSplit, IPreviewRoute, ITargetPool, IDeploymentStore, IDisposable
{
    public const string PlatformKind = "aws-alb";

    private readonly AwsAlbPlatformOptions _alb;
    private readonly bool _rolling;
    private readonly ElbV2Client _elb;
    private readonly CloudWatchClient? _cloudWatch;
    private readonly IDisposable? _owned;
    private readonly TimeProvider _time;
    private readonly AlbPlatformOptions _options;
    private readonly AlbCalls _calls;
    private readonly AlbTagStore _store;
    private readonly AlbLeaseRule _lease;
    private readonly Dictionary<string, HashSet<string>> _known = new(StringComparer.Ordinal);

    private string? _stable;
    private string? _candidate;
    private bool _attachedIdle;
    private string? _bound;
    private bool _fresh;
    private (string Id, AlbJournalExtras Extras)? _lastStored;
    private Side? _previewSide;
    private PlatformTimings? _timings;
    private string? _address;
    private IReadOnlyList<ElbAction>? _targetActions;

    /// <param name="alb">The awsAlb block of the spec.</param>
    /// <param name="rolling">The strategy is rolling: one target group, drained and registered in batches, instead of traffic moved between two.</param>
    /// <param name="cloudWatch">For cloudWatch and alarm gates; without it the platform offers none.</param>
    /// <param name="owned">Disposed with the platform (the client factory <see cref="Connect"/> made).</param>
    public AlbPlatform(AwsAlbPlatformOptions alb, bool rolling, ElbV2Client elb, TimeProvider time, AlbPlatformOptions? options = null, CloudWatchClient? cloudWatch = null, IDisposable? owned = null)
    {
        ArgumentNullException.ThrowIfNull(alb);
        _alb = alb;
        _rolling = rolling;
        _elb = elb;
        _cloudWatch = cloudWatch;
        _owned = owned;
        _time = time;
        _options = options ?? new AlbPlatformOptions();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { [_alb.ListenerArn] = "listenerArn" };
        Add(fields, _alb.RuleArn, "ruleArn");
        Add(fields, _alb.PreviewListenerArn, "previewListenerArn");
        Add(fields, _alb.PreviewRuleArn, "previewRuleArn");
        for (var i = 0; i < _alb.TargetGroupArns.Count; i++)
        {
            Add(fields, _alb.TargetGroupArns[i], $"targetGroupArns[{i}]");
        }

        _calls = new AlbCalls(_alb.Region, fields);
        _store = new AlbTagStore(elb, Target, _options.MaxJournalTags, _calls);
        _lease = new AlbLeaseRule(elb, _alb.ListenerArn, Target, time, _calls);
    }

    /// <summary>
    /// The platform with its own clients: the region and endpoint of the spec, the credentials it names (or the default
    /// chain), and AWS's retry policy. Reads nothing yet; call <see cref="VerifyAsync"/> to check the resources.
    /// </summary>
    public static AlbPlatform Connect(DeploymentSpec spec, TimeProvider time, AlbPlatformOptions? options, IIdTokenSource? idTokens = null, Action<string>? registerSecret = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var alb = spec.Platform.OptionsAs<AwsAlbPlatformOptions>();
        var credentials = AlbCredentials.FromSpec(alb, idTokens, time);
        if (registerSecret is not null)
        {
            credentials.ReportSecretsTo(secret => registerSecret(secret.Value));
        }

        var clientOptions = new AwsClientOptions { Region = alb.Region, EndpointUrl = alb.EndpointUrl is { } url ? new Uri(url) : null };
        var factory = new AwsClientFactory(clientOptions, credentials, time);
        return new AlbPlatform(alb, spec.Strategy.Rolling is not null, factory.CreateElbV2Client(), time, options, factory.CreateCloudWatchClient(), factory);
    }

    public string Kind => PlatformKind;

    /// <summary>The CloudWatch client for cloudWatch and alarm gates; null when the platform was made without one.</summary>
    internal CloudWatchClient? CloudWatch => _cloudWatch;

    public void Dispose() => _owned?.Dispose();

    /// <summary>The rule when one is set, else the listener: the resource whose forward action is deployed and which holds the tags.</summary>
    public string Target => _alb.RuleArn ?? _alb.ListenerArn;

    public string LoadBalancerArn => AlbArns.LoadBalancerOf(_alb.ListenerArn);

    private bool IsRolling => _rolling;

    /// <summary>
    /// Checks, with reads only, that everything the spec names exists and fits: the listener or rule and its forward
    /// action, the target groups, the preview path. Any problem is one <see cref="PlatformException"/> and nothing changed.
    /// </summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        _targetActions = null;
        var forward = Forward(await TargetActionsAsync(cancellationToken), Target);
        if (_alb.TargetGroupArns.Count > 0)
        {
            await DescribeTargetGroupsAsync(_alb.TargetGroupArns, cancellationToken);
        }

        foreach (var preview in new[] { _alb.PreviewListenerArn, _alb.PreviewRuleArn })
        {
            if (preview is not null)
            {
                Forward(await ReadActionsAsync(preview, cancellationToken), preview);
            }
        }

        await EnsureSidesAsync(forward, cancellationToken);
    }

    /// <summary>
    /// The forward as this platform last read or wrote it, and the health of both target groups as they are now. While a
    /// run holds the lease only this platform moves the forward, so it is read once (and again after a change whose
    /// outcome is unknown), not at every poll: a poll is one DescribeTargetHealth per target group.
    /// </summary>
    public async Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken)
    {
        var forward = Forward(await TargetActionsAsync(cancellationToken), Target);
        await EnsureSidesAsync(forward, cancellationToken);
        var weights = AlbForward.Weights(forward);
        int Weight(string? arn) => weights.Where(w => w.Arn == arn).Sum(w => w.Weight);
        var (active, candidateWeight) = (Weight(_stable), Weight(_candidate)) switch
        {
            var (s, c) when !IsRolling && s > 0 && c > 0 => (Side.Stable, (int)Math.Round(100.0 * c / (s + c), MidpointRounding.AwayFromZero)),
            var (_, c) when !IsRolling && c > 0 => (Side.Candidate, 0),
            _ => (Side.Stable, 0),
        };

        var targets = new List<TargetStatus>();
        targets.AddRange(await TargetsAsync(_stable!, Side.Stable, cancellationToken));
        if (_candidate is not null)
        {
            targets.AddRange(await TargetsAsync(_candidate, Side.Candidate, cancellationToken));
        }

        return new PlatformSnapshot
        {
            ActiveSide = active,
            CandidateWeight = candidateWeight,
            Targets = targets,
            Timings = await TimingsAsync(cancellationToken),
            Address = await AddressAsync(cancellationToken),
            PreviewAddress = _alb.PreviewUrl,
            PreviewSide = await PreviewSideAsync(cancellationToken),
        };
    }

    /// <summary>The target group of a side, for gates that read its metrics.</summary>
    public async Task<string> TargetGroupArnAsync(Side side, CancellationToken cancellationToken)
    {
        if (_stable is null)
        {
            await EnsureSidesAsync(Forward(await TargetActionsAsync(cancellationToken), Target), cancellationToken);
        }

        return side == Side.Candidate && _candidate is not null ? _candidate : _stable!;
    }

    public async Task SwitchAsync(Side to, CancellationToken cancellationToken)
    {
        var arn = await TargetGroupArnAsync(to, cancellationToken);
        await SetForwardAsync(f => AllTo(f, arn), cancellationToken);
    }

    /// <summary>Points the preview listener or rule at a side's target group (a plan step: `zdp plan` shows it).</summary>
    public async Task PointPreviewAsync(Side to, CancellationToken cancellationToken)
    {
        await PointPreviewAsync(await TargetGroupArnAsync(to, cancellationToken), cancellationToken);
        _previewSide = to;
    }

    public async Task SetCandidateWeightAsync(int percent, CancellationToken cancellationToken)
    {
        var stable = await TargetGroupArnAsync(Side.Stable, cancellationToken);
        var candidate = await TargetGroupArnAsync(Side.Candidate, cancellationToken);
        await SetForwardAsync(f => percent <= 0 ? AllTo(f, stable) : AlbForward.Weighted(f, [(stable, 100 - percent), (candidate, percent)]), cancellationToken);
    }

    public Task RegisterAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken) =>
        ChangeTargetsAsync(targets, register: true, cancellationToken);

    public Task DeregisterAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken) =>
        ChangeTargetsAsync(targets, register: false, cancellationToken);

    /// <summary>
    /// The lease is a listener rule that matches no request (<see cref="AlbLeaseRule"/>): created to take it, tagged to
    /// renew it, deleted to release it. CreateRule refuses a second rule at the same priority, so of two runs that ask at
    /// the same instant exactly one gets it.
    /// </summary>
    public Task<LeaseResult> TryAcquireLeaseAsync(Lease wanted, CancellationToken cancellationToken) => AcquireAsync(wanted, null, cancellationToken);

    /// <summary>Deletes exactly the dead holder's lease rule and takes the lease, as after an expiry.</summary>
    public Task<LeaseResult> TakeOverLeaseAsync(Lease wanted, Lease holder, CancellationToken cancellationToken) => AcquireAsync(wanted, holder, cancellationToken);

    private async Task<LeaseResult> AcquireAsync(Lease wanted, Lease? presumedDead, CancellationToken cancellationToken)
    {
        var result = await _lease.TryAcquireAsync(wanted, cancellationToken, presumedDead);
        if (!result.Acquired || !_lease.Holds(wanted.DeploymentId) || _bound == wanted.DeploymentId)
        {
            return result;
        }

        // This process now acts for this deployment: a new one reads its sides off the live listener, a resumed or
        // rolled-back one from its journal.
        var tags = await _store.ReadAsync(cancellationToken);
        if (tags.Lease is { } legacy && legacy.ExpiresAt > _time.GetUtcNow()
            && !(legacy.DeploymentId == wanted.DeploymentId && legacy.Owner == AlbLeaseRule.OwnerAsStored(wanted)))
        {
            // A run of a zdp version that kept its lease in the target's own tags is still going: leave it alone.
            await _lease.ReleaseAsync(wanted.DeploymentId, cancellationToken);
            return new LeaseResult(false, legacy);
        }

        _bound = wanted.DeploymentId;
        _fresh = tags.Journal is not { } stored || stored.Journal.DeploymentId != wanted.DeploymentId;
        _stable = null;
        _candidate = null;
        // A run starts from the forward as it is, whatever this process saw before it held the lease.
        _targetActions = null;
        return result;
    }

    public Task ReleaseLeaseAsync(string deploymentId, CancellationToken cancellationToken) =>
        _lease.ReleaseAsync(deploymentId, cancellationToken);

    /// <summary>The journal without its plan (tags have no room for it): the engine rebuilds the plan from the spec and the recorded start.</summary>
    public async Task<Journal?> ReadJournalAsync(CancellationToken cancellationToken)
    {
        var tags = await _store.ReadAsync(cancellationToken);
        if (tags.Journal is not var (journal, extras))
        {
            return null;
        }

        _lastStored = (journal.DeploymentId, extras);
        if (journal.DeploymentId == _bound || IsUnfinished(journal.Status))
        {
            Learn(journal.Start, extras);
        }

        return journal;
    }

    public async Task WriteJournalAsync(Journal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var first = _lastStored?.Id != journal.DeploymentId;
        var extras = first ? await CurrentExtrasAsync(cancellationToken) : _lastStored!.Value.Extras;
        await _store.WriteJournalAsync(journal, extras, cancellationToken);
        _lastStored = (journal.DeploymentId, extras);
    }

    /// <summary>Promote and abort are tags of their own (<see cref="AlbTagStore"/>): a journal write never erases one.</summary>
    public bool KeepsSignalsApart => true;

    public Task WriteSignalsAsync(Journal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return _store.WriteSignalsAsync(journal, cancellationToken);
    }

    private async Task<AlbJournalExtras> CurrentExtrasAsync(CancellationToken cancellationToken)
    {
        var stable = await TargetGroupArnAsync(Side.Stable, cancellationToken);
        return new AlbJournalExtras(stable, _attachedIdle);
    }

    private async Task EnsureSidesAsync(ElbAction forward, CancellationToken cancellationToken)
    {
        if (_stable is not null)
        {
            return;
        }

        var groups = AlbForward.Weights(forward).Select(w => w.Arn).Distinct(StringComparer.Ordinal).ToList();
        if (IsRolling)
        {
            if (groups.Count != 1)
            {
                throw new PlatformException(
                    $"the rolling strategy works inside one target group, but {Target} forwards to {groups.Count} ({string.Join(", ", groups.Select(AlbArns.TargetGroupName))}). " +
                    "Fix: point the forward action at the one target group to roll, or use blueGreen or canary with platform.awsAlb.targetGroupArns.",
                    PlatformErrorKind.Unsuitable);
            }

            _stable = groups[0];
            return;
        }

        AlbJournalExtras? stored = null;
        if (!_fresh && (await _store.ReadAsync(cancellationToken)).Journal is var (journal, extras))
        {
            var inEffect = _bound is null
                ? IsUnfinished(journal.Status) || (journal.Status == DeploymentStatus.Succeeded && journal.PreviousKeptUntil > _time.GetUtcNow())
                : journal.DeploymentId == _bound;
            stored = inEffect && _alb.TargetGroupArns.Contains(extras.StableTargetGroupArn, StringComparer.Ordinal) ? extras : null;
        }

        var weights = AlbForward.Weights(forward);
        var unknown = groups.Where(g => !_alb.TargetGroupArns.Contains(g, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new PlatformException(
                $"{Target} forwards to target group {string.Join(", ", unknown.Select(AlbArns.TargetGroupName))} ({string.Join(", ", unknown)}), which is not one of platform.awsAlb.targetGroupArns. " +
                "Fix: list the target group that serves today and the one of the new version in targetGroupArns.",
                PlatformErrorKind.NotFound);
        }

        if (stored is not null)
        {
            _stable = stored.StableTargetGroupArn;
            _attachedIdle = stored.AttachedIdle;
        }
        else
        {
            _stable = weights.Where(w => w.Weight > 0)
                .OrderByDescending(w => w.Weight)
                .ThenBy(w => IndexOfGroup(w.Arn))
                .Select(w => w.Arn)
                .FirstOrDefault()
                ?? throw new PlatformException($"{Target} forwards to no target group with a weight above 0. Fix: give the forward action a target group that serves.", PlatformErrorKind.Unsuitable);
            _attachedIdle = weights.Count == 2 && weights.Any(w => w.Weight == 0);
        }

        _candidate = _alb.TargetGroupArns.First(a => a != _stable);
    }

    private int IndexOfGroup(string arn)
    {
        for (var i = 0; i < _alb.TargetGroupArns.Count; i++)
        {
            if (_alb.TargetGroupArns[i] == arn)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    /// <summary>All traffic to one group, in the form the action had at the start: plain, or both groups listed with the idle one at weight 0.</summary>
    private ElbAction AllTo(ElbAction forward, string arn)
    {
        if (!_attachedIdle || _candidate is null)
        {
            return AlbForward.Single(forward, arn);
        }

        var order = AlbForward.Weights(forward).Select(w => w.Arn).ToList();
        if (order.Count != 2)
        {
            order = [_stable!, _candidate];
        }

        return AlbForward.Weighted(forward, [.. order.Select(g => (g, g == arn ? 1 : 0))]);
    }

    /// <summary>
    /// Read, change, write: ModifyListener and ModifyRule replace the whole list of actions and have no condition, so the
    /// list is read right before the write, keeping whatever else the user's actions say. What AWS answers the write with
    /// is the forward from then on; a write that failed or was cut short may or may not have landed, so the next
    /// observation reads again.
    /// </summary>
    private async Task SetForwardAsync(Func<ElbAction, ElbAction> change, CancellationToken cancellationToken)
    {
        _targetActions = null;
        var actions = await ReadActionsAsync(Target, cancellationToken);
        var index = AlbForward.IndexOf(actions);
        Forward(actions, Target);
        var written = await WriteActionsAsync(Target, AlbForward.Replace(actions, index, change(actions[index])), cancellationToken);
        _targetActions = written.Count > 0 ? written : null;
    }

    /// <summary>The actions of the deployed listener or rule: as last read or written, or read now when not known.</summary>
    private async Task<IReadOnlyList<ElbAction>> TargetActionsAsync(CancellationToken cancellationToken) =>
        _targetActions ??= await ReadActionsAsync(Target, cancellationToken);

    private async Task PointPreviewAsync(string targetGroupArn, CancellationToken cancellationToken)
    {
        var preview = _alb.PreviewRuleArn ?? _alb.PreviewListenerArn;
        if (preview is null)
        {
            return;
        }

        var actions = await ReadActionsAsync(preview, cancellationToken);
        var index = AlbForward.IndexOf(actions);
        var forward = Forward(actions, preview);
        if (AlbForward.Weights(forward) is [var only] && only.Arn == targetGroupArn)
        {
            return;
        }

        await WriteActionsAsync(preview, AlbForward.Replace(actions, index, AlbForward.Single(forward, targetGroupArn)), cancellationToken);
    }

    /// <summary>
    /// The side the preview listener or rule forwards to; null without one. Read once: only this platform's own
    /// <see cref="PointPreviewAsync(Side, CancellationToken)"/> moves it, so polling it would cost a call per poll for nothing.
    /// </summary>
    private async Task<Side?> PreviewSideAsync(CancellationToken cancellationToken)
    {
        var preview = _alb.PreviewRuleArn ?? _alb.PreviewListenerArn;
        if (preview is null || IsRolling || _candidate is null)
        {
            return null;
        }

        if (_previewSide is null)
        {
            var groups = AlbForward.Weights(Forward(await ReadActionsAsync(preview, cancellationToken), preview)).Where(w => w.Weight > 0).Select(w => w.Arn).ToList();
            // A preview that forwards anywhere but to the candidate alone counts as stable's: pointing it at the candidate is a change.
            _previewSide = groups is [var only] && only == _candidate ? Side.Candidate : Side.Stable;
        }

        return _previewSide;
    }

    private async Task<IReadOnlyList<ElbAction>> ReadActionsAsync(string arn, CancellationToken cancellationToken)
    {
        if (arn.Contains(":listener-rule/", StringComparison.Ordinal))
        {
            var rules = await _calls.RunAsync(() => _elb.DescribeRulesAsync(new DescribeRulesRequest { RuleArns = [arn] }, cancellationToken), arn);
            return rules.Rules.SingleOrDefault()?.Actions ?? [];
        }

        var listeners = await _calls.RunAsync(() => _elb.DescribeListenersAsync(new DescribeListenersRequest { ListenerArns = [arn] }, cancellationToken), arn);
        var listener = listeners.Listeners.SingleOrDefault();
        return listener?.DefaultActions ?? [];
    }

    /// <summary>Writes the actions; returns them as AWS answered (empty when the answer did not carry them).</summary>
    private async Task<IReadOnlyList<ElbAction>> WriteActionsAsync(string arn, IReadOnlyList<ElbAction> actions, CancellationToken cancellationToken)
    {
        if (arn.Contains(":listener-rule/", StringComparison.Ordinal))
        {
            // Conditions are not sent: ModifyRule leaves them as they are.
            var rules = await _calls.RunAsync(() => _elb.ModifyRuleAsync(new ModifyRuleRequest { RuleArn = arn, Actions = actions }, cancellationToken), arn);
            return rules.Rules.SingleOrDefault()?.Actions ?? [];
        }

        var listeners = await _calls.RunAsync(() => _elb.ModifyListenerAsync(new ModifyListenerRequest { ListenerArn = arn, DefaultActions = actions }, cancellationToken), arn);
        return listeners.Listeners.SingleOrDefault()?.DefaultActions ?? [];
    }

    private static ElbAction Forward(IReadOnlyList<ElbAction> actions, string arn) =>
        AlbForward.IndexOf(actions) is var i and >= 0
            ? actions[i]
            : throw new PlatformException($"{arn} has no forward action, so there is no traffic for zdp to move. Fix: give it a forward action to the target group that serves today.");

    private async Task<IReadOnlyList<TargetStatus>> TargetsAsync(string targetGroupArn, Side side, CancellationToken cancellationToken)
    {
        var response = await _calls.RunAsync(() => _elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = targetGroupArn }, cancellationToken), targetGroupArn);
        var known = Known(targetGroupArn);
        var seen = new Dictionary<string, TargetStatus>(StringComparer.Ordinal);
        foreach (var description in response.TargetHealthDescriptions)
        {
            if (description.Target is not { } target)
            {
                continue;
            }

            var id = TargetId(target);
            var (registered, health) = Map(description.TargetHealth);
            seen[id] = new TargetStatus(id, side, registered, health);
            known.Add(id);
        }

        // Deregistered targets leave DescribeTargetHealth's listing once drained; the engine still needs to see them, as unused.
        foreach (var id in known.Where(id => !seen.ContainsKey(id)))
        {
            seen[id] = new TargetStatus(id, side, false, TargetHealth.Unused);
        }

        return [.. seen.Values.OrderBy(t => t.Id, StringComparer.Ordinal)];
    }

    /// <summary>ALB target states (TargetHealthStateEnum) as the engine counts them.</summary>
    private static (bool Registered, TargetHealth Health) Map(Clients.TargetHealth? health) => (health?.State, health?.Reason) switch
    {
        ("healthy", _) => (true, TargetHealth.Healthy),
        // Health checks are off: ALB routes to the target, so it serves.
        ("unavailable", _) => (true, TargetHealth.Healthy),
        ("initial", _) => (true, TargetHealth.Initial),
        ("unhealthy", _) => (true, TargetHealth.Unhealthy),
        ("draining", _) => (false, TargetHealth.Draining),
        // Registered in a group no listener uses yet: ALB does not health-check it, so nobody knows whether it would serve.
        ("unused", "Target.NotInUse") => (true, TargetHealth.Initial),
        ("unused", "Target.NotRegistered") => (false, TargetHealth.Unused),
        ("unused", _) => (true, TargetHealth.Unhealthy),
        _ => (true, TargetHealth.Initial),
    };

    private async Task ChangeTargetsAsync(IReadOnlyList<string> targets, bool register, CancellationToken cancellationToken)
    {
        foreach (var group in targets.GroupBy(GroupOf, StringComparer.Ordinal))
        {
            foreach (var batch in group.Select(ParseTarget).Chunk(_options.MaxTargetsPerCall))
            {
                if (register)
                {
                    await _calls.RunAsync(() => _elb.RegisterTargetsAsync(new RegisterTargetsRequest { TargetGroupArn = group.Key, Targets = batch }, cancellationToken), group.Key);
                }
                else
                {
                    await _calls.RunAsync(() => _elb.DeregisterTargetsAsync(new DeregisterTargetsRequest { TargetGroupArn = group.Key, Targets = batch }, cancellationToken), group.Key);
                }
            }

            Known(group.Key).UnionWith(group);
        }
    }

    private string GroupOf(string target)
    {
        if (IsRolling)
        {
            return _stable ?? throw new InvalidOperationException("the target group is not known before the first observation");
        }

        return _known.FirstOrDefault(k => k.Value.Contains(target)).Key
            ?? throw new PlatformException($"target {target} is in neither target group of {Target}. Fix: run `zdp status` to see the targets zdp knows.");
    }

    private void Learn(PlatformSnapshot start, AlbJournalExtras extras)
    {
        var candidate = _alb.TargetGroupArns.FirstOrDefault(a => a != extras.StableTargetGroupArn);
        foreach (var t in start.Targets)
        {
            var group = t.Side == Side.Stable ? extras.StableTargetGroupArn : candidate;
            if (group is not null)
            {
                Known(group).Add(t.Id);
            }
        }
    }

    private HashSet<string> Known(string targetGroupArn)
    {
        if (!_known.TryGetValue(targetGroupArn, out var set))
        {
            _known[targetGroupArn] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    /// <summary>"i-0abc:8080", "10.0.1.5:80": the id with the port it is registered on, so it can be registered again exactly.</summary>
    private static string TargetId(TargetDescription target) =>
        target.Port is { } port ? $"{target.Id}:{port.ToString(CultureInfo.InvariantCulture)}" : target.Id;

    private static TargetDescription ParseTarget(string id)
    {
        var colon = id.LastIndexOf(':');
        return colon > 0 && int.TryParse(id.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new TargetDescription { Id = id[..colon], Port = port }
            : new TargetDescription { Id = id };
    }

    private async Task<PlatformTimings> TimingsAsync(CancellationToken cancellationToken)
    {
        if (_timings is not null)
        {
            return _timings;
        }

        var groups = await DescribeTargetGroupsAsync([.. new[] { _stable!, _candidate }.OfType<string>()], cancellationToken);
        // The wait for health is the candidate's (blue-green, canary) or the pool's own (rolling).
        var checkedGroup = groups.FirstOrDefault(g => g.TargetGroupArn == (_candidate ?? _stable)) ?? (groups.Count > 0 ? groups[0] : null);
        var attributes = await _calls.RunAsync(() => _elb.DescribeTargetGroupAttributesAsync(new DescribeTargetGroupAttributesRequest { TargetGroupArn = _stable! }, cancellationToken), _stable!);
        var delay = attributes.Attributes.FirstOrDefault(a => a.Key == "deregistration_delay.timeout_seconds")?.Value;
        _timings = new PlatformTimings
        {
            HealthCheckInterval = TimeSpan.FromSeconds(checkedGroup?.HealthCheckIntervalSeconds ?? AlbDefaults.HealthCheckIntervalSeconds),
            HealthyThreshold = checkedGroup?.HealthyThresholdCount ?? AlbDefaults.HealthyThresholdCount,
            DeregistrationDelay = TimeSpan.FromSeconds(int.TryParse(delay, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : AlbDefaults.DeregistrationDelaySeconds),
        };
        return _timings;
    }

    private async Task<IReadOnlyList<TargetGroup>> DescribeTargetGroupsAsync(IReadOnlyList<string> arns, CancellationToken cancellationToken)
    {
        try
        {
            return (await _elb.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { TargetGroupArns = arns }, cancellationToken)).TargetGroups;
        }
        catch (AwsServiceException e) when (e.Code == "TargetGroupNotFound" && arns.Count > 1)
        {
            // "One or more target groups not found": ask one by one, so the message names the one that is missing.
            foreach (var arn in arns)
            {
                await _calls.RunAsync(() => _elb.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { TargetGroupArns = [arn] }, cancellationToken), arn);
            }

            throw _calls.Translate(e, arns[0]);
        }
        catch (AwsServiceException e)
        {
            throw _calls.Translate(e, arns[0]);
        }
    }

    private async Task<string?> AddressAsync(CancellationToken cancellationToken)
    {
        if (_address is not null)
        {
            return _address;
        }

        var listener = (await _calls.RunAsync(() => _elb.DescribeListenersAsync(new DescribeListenersRequest { ListenerArns = [_alb.ListenerArn] }, cancellationToken), _alb.ListenerArn)).Listeners.SingleOrDefault();
        var lb = (await _calls.RunAsync(() => _elb.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest { LoadBalancerArns = [LoadBalancerArn] }, cancellationToken), LoadBalancerArn)).LoadBalancers.SingleOrDefault();
        if (lb?.DNSName is null || listener is null)
        {
            return null;
        }

        var scheme = listener.Protocol == "HTTPS" ? "https" : "http";
        var port = listener.Port is { } p && p != (scheme == "https" ? 443 : 80) ? $":{p.ToString(CultureInfo.InvariantCulture)}" : "";
        _address = $"{scheme}://{lb.DNSName}{port}";
        return _address;
    }

    private static bool IsUnfinished(DeploymentStatus s) => s is DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.RollingBack;

    private static void Add(Dictionary<string, string> fields, string? arn, string field)
    {
        if (arn is not null)
        {
            fields.TryAdd(arn, field);
        }
    }
}

/// <summary>Limits of the ALB platform, each with where it comes from.</summary>
internal sealed record AlbPlatformOptions
{
    /// <summary>
    /// ALB allows 50 tags per resource (load-balancer-limits.html); zdp leaves ten for the user's own (and for the lease tag
    /// that zdp versions before the lease rule wrote there). moto_server allows only 10 per resource, so tests against it set less.
    /// </summary>
    public int MaxJournalTags { get; init; } = 40;

    /// <summary>
    /// Targets per RegisterTargets/DeregisterTargets call. AWS documents no maximum (aws.md §3); 500 keeps one call's body
    /// small while a 1,000-target group (the ALB quota) still moves in two calls.
    /// </summary>
    public int MaxTargetsPerCall { get; init; } = 500;
}

/// <summary>ALB's own defaults (CreateTargetGroup documentation), used when a target group does not report a value.</summary>
internal static class AlbDefaults
{
    public const int HealthCheckIntervalSeconds = 30;
    public const int HealthyThresholdCount = 5;
    public const int DeregistrationDelaySeconds = 300;
}
