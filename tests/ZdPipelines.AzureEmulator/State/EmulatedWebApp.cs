namespace ZdPipelines.AzureEmulator.State;

/// <summary>
/// An emulated App Service web app: its slots, sticky setting names, tags, pending swap with preview and swap history.
/// All state changes happen under the emulator's one lock; the handles read snapshots.
/// </summary>
public sealed class EmulatedWebApp
{
    /// <summary>The name that stands for the production slot (CsmSlotEntity.targetSlot, Azure CLI, PowerShell).</summary>
    public const string ProductionSlotName = "production";

    private readonly object _gate;
    private readonly Func<string, string> _slotHostName;
    private readonly Dictionary<string, EmulatedSlot> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EmulatedSwap> _swaps = [];
    private (string Code, string Message, int Status)? _failNextSwap;

    internal EmulatedWebApp(object gate, string subscriptionId, string resourceGroup, string name, string location, string hostNameSuffix, Func<string, string> slotHostName, string productionVersion)
    {
        _gate = gate;
        _slotHostName = slotHostName;
        SubscriptionId = subscriptionId;
        ResourceGroup = resourceGroup;
        Name = name;
        Location = location;
        HostNameSuffix = hostNameSuffix;
        _slots[ProductionSlotName] = new EmulatedSlot(gate, this, ProductionSlotName, $"{name}.{hostNameSuffix}".ToLowerInvariant(), productionVersion);
    }

    public string SubscriptionId { get; }

    public string ResourceGroup { get; }

    public string Name { get; }

    /// <summary>The display name of the region, e.g. <c>West Europe</c>.</summary>
    public string Location { get; }

    public string HostNameSuffix { get; }

    public string Id => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.Web/sites/{Name}";

    public EmulatedSlot Production => _slots[ProductionSlotName];

    public IReadOnlyList<EmulatedSlot> Slots
    {
        get { lock (_gate) { return [.. _slots.Values]; } }
    }

    /// <summary>The pending swap with preview (applySlotConfig done, swap or reset not yet), as (source, target).</summary>
    public (string Source, string Target)? PendingPreview { get { lock (_gate) { return Preview; } } }

    /// <summary>Every swap started, in order, with its current status.</summary>
    public IReadOnlyList<EmulatedSwap> Swaps
    {
        get { lock (_gate) { return [.. _swaps]; } }
    }

    /// <summary>Sticky app setting names (config/slotConfigNames <c>appSettingNames</c>).</summary>
    public IReadOnlyList<string> StickyAppSettingNames
    {
        get { lock (_gate) { return [.. StickySettings]; } }
        set { lock (_gate) { StickySettings = [.. value]; } }
    }

    /// <summary>Sticky connection string names (<c>connectionStringNames</c>).</summary>
    public IReadOnlyList<string> StickyConnectionStringNames
    {
        get { lock (_gate) { return [.. StickyConnectionStrings]; } }
        set { lock (_gate) { StickyConnectionStrings = [.. value]; } }
    }

    public EmulatedSlot Slot(string name)
    {
        lock (_gate)
        {
            return _slots.TryGetValue(name, out var slot) ? slot : throw new KeyNotFoundException($"web app {Name} has no slot '{name}'.");
        }
    }

    public EmulatedSlot AddSlot(string name, string version)
    {
        lock (_gate)
        {
            var slot = new EmulatedSlot(_gate, this, name, _slotHostName(name), version);
            _slots.Add(name, slot);
            return slot;
        }
    }

    /// <summary>The next swap of this app fails when it would complete, leaving both slots as they were.</summary>
    public void FailNextSwap(string code = "SwapFailed", string message = "Swap failed: the source slot did not answer its warm-up requests.", int status = 400)
    {
        lock (_gate)
        {
            _failNextSwap = (code, message, status);
        }
    }

    internal List<string> StickySettings { get; set; } = [];

    internal List<string> StickyConnectionStrings { get; set; } = [];

    internal (string Source, string Target)? Preview { get; set; }

    internal EmulatedSlot? FindSlot(string name) => _slots.GetValueOrDefault(name);

    internal EmulatedSwap? RunningSwap => _swaps.FirstOrDefault(s => s.Status == EmulatedSwap.InProgress);

    internal string? Problem(string source, string target)
    {
        if (FindSlot(source) is null)
        {
            return $"Slot '{source}' does not exist on site {Name}.";
        }

        if (FindSlot(target) is null)
        {
            return $"Slot '{target}' does not exist on site {Name}.";
        }

        return string.Equals(source, target, StringComparison.OrdinalIgnoreCase) ? $"Cannot swap slot '{source}' with itself." : null;
    }

    /// <summary>Whether a pending preview (if any) is between these two slots.</summary>
    internal bool PreviewIsBetween(string a, string b) =>
        Preview is { } p && ((Same(p.Source, a) && Same(p.Target, b)) || (Same(p.Source, b) && Same(p.Target, a)));

    internal EmulatedSwap StartSwap(string id, string source, string target, DateTimeOffset now, TimeSpan duration)
    {
        var swap = new EmulatedSwap(id, source, target, now, now + duration, Preview is not null);
        _swaps.Add(swap);
        return swap;
    }

    /// <summary>Ends <paramref name="swap"/>: on success the slots exchange their apps and non-sticky settings.</summary>
    internal void Complete(EmulatedSwap swap, DateTimeOffset now)
    {
        if (swap.Status != EmulatedSwap.InProgress)
        {
            return;
        }

        if (_failNextSwap is { } failure)
        {
            _failNextSwap = null;
            CancelPreview();
            swap.Fail(failure.Code, failure.Message, failure.Status, now);
            return;
        }

        var a = Slot(swap.SourceSlot);
        var b = Slot(swap.TargetSlot);
        (a.Content, b.Content) = (b.Content, a.Content);
        (a.OwnSettings, b.OwnSettings) = (Exchange(a.OwnSettings, b.OwnSettings), Exchange(b.OwnSettings, a.OwnSettings));
        a.LastSwap = (now, swap.SourceSlot, swap.TargetSlot);
        b.LastSwap = (now, swap.SourceSlot, swap.TargetSlot);
        CancelPreview();
        swap.Succeed(now);
    }

    /// <summary>Phase one of a swap with preview: <paramref name="source"/> runs with <paramref name="target"/>'s sticky settings.</summary>
    internal void ApplyPreview(string source, string target)
    {
        var from = Slot(source);
        var to = Slot(target);
        var effective = new Dictionary<string, string>(from.OwnSettings.Where(s => !IsSticky(s.Key)), StringComparer.Ordinal);
        foreach (var (name, value) in to.OwnSettings.Where(s => IsSticky(s.Key)))
        {
            effective[name] = value;
        }

        from.PreviewSettings = effective;
        from.TargetSwap = to.Name;
        Preview = (from.Name, to.Name);
    }

    internal void CancelPreview()
    {
        if (Preview is { } p && FindSlot(p.Source) is { } source)
        {
            source.PreviewSettings = null;
            source.TargetSwap = null;
        }

        Preview = null;
    }

    // What a slot holds after a swap: the other slot's non-sticky settings and its own sticky ones.
    private Dictionary<string, string> Exchange(Dictionary<string, string> mine, Dictionary<string, string> theirs)
    {
        var result = new Dictionary<string, string>(theirs.Where(s => !IsSticky(s.Key)), StringComparer.Ordinal);
        foreach (var (name, value) in mine.Where(s => IsSticky(s.Key)))
        {
            result[name] = value;
        }

        return result;
    }

    private bool IsSticky(string setting) => StickySettings.Contains(setting, StringComparer.OrdinalIgnoreCase);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Name} ({string.Join(", ", Slots.Select(s => $"{s.Name}={s.Version}"))})";
}

/// <summary>A swap the emulator ran or runs: between which slots, when, and how it ended.</summary>
public sealed class EmulatedSwap
{
    public const string InProgress = "InProgress";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    internal EmulatedSwap(string id, string sourceSlot, string targetSlot, DateTimeOffset startedAt, DateTimeOffset dueAt, bool withPreview)
    {
        Id = id;
        SourceSlot = sourceSlot;
        TargetSlot = targetSlot;
        StartedAt = startedAt;
        DueAt = dueAt;
        WithPreview = withPreview;
    }

    public string Id { get; }

    public string SourceSlot { get; }

    public string TargetSlot { get; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset DueAt { get; }

    /// <summary>True when it completed a swap with preview.</summary>
    public bool WithPreview { get; }

    public string Status { get; private set; } = InProgress;

    public DateTimeOffset? CompletedAt { get; private set; }

    public string? ErrorCode { get; private set; }

    public string? ErrorMessage { get; private set; }

    /// <summary>The HTTP status a Location poll answers once the swap failed.</summary>
    public int ErrorStatus { get; private set; }

    internal void Succeed(DateTimeOffset now)
    {
        Status = Succeeded;
        CompletedAt = now;
    }

    internal void Fail(string code, string message, int status, DateTimeOffset now)
    {
        Status = Failed;
        ErrorCode = code;
        ErrorMessage = message;
        ErrorStatus = status;
        CompletedAt = now;
    }

    public override string ToString() => $"swap {SourceSlot}<->{TargetSlot} {Status}";
}
