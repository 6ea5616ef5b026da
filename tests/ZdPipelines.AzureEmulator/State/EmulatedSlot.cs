using System.Text.Json.Nodes;

namespace ZdPipelines.AzureEmulator.State;

/// <summary>
/// One slot of an emulated web app (production is the slot named <see cref="EmulatedWebApp.ProductionSlotName"/>): its host
/// names, run state, and the app it holds. The app (<see cref="Version"/>, <see cref="ErrorRate"/>, <see cref="Latency"/>) and
/// the non-sticky app settings move in a swap; host names, sticky settings and config/web stay.
/// </summary>
public sealed class EmulatedSlot
{
    private readonly object _gate;
    private string _version;
    private double _errorRate;
    private TimeSpan _latency;
    private string _state = "Running";

    internal EmulatedSlot(object gate, EmulatedWebApp app, string name, string hostName, string version)
    {
        _gate = gate;
        App = app;
        Name = name;
        HostName = hostName;
        _version = version;
    }

    public EmulatedWebApp App { get; }

    /// <summary>The slot's name; <c>production</c> for the site itself.</summary>
    public string Name { get; }

    public bool IsProduction => Name == EmulatedWebApp.ProductionSlotName;

    /// <summary>The resource id: the site's for production, <c>…/slots/{name}</c> otherwise.</summary>
    public string Id => IsProduction ? App.Id : $"{App.Id}/slots/{Name}";

    /// <summary><c>defaultHostName</c>.</summary>
    public string HostName { get; }

    /// <summary>The Kudu host, listed in <c>enabledHostNames</c>.</summary>
    public string ScmHostName => HostName.Replace($".{App.HostNameSuffix}", $".scm.{App.HostNameSuffix}", StringComparison.Ordinal);

    /// <summary>The version of the app this slot runs; what its data plane answers with.</summary>
    public string Version
    {
        get { lock (_gate) { return _version; } }
        set { lock (_gate) { _version = value; } }
    }

    /// <summary>The share of data-plane requests the app answers with 500 (0 to 1), drawn from the emulator's seeded Random.</summary>
    public double ErrorRate
    {
        get { lock (_gate) { return _errorRate; } }
        set { lock (_gate) { _errorRate = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value)); } }
    }

    /// <summary>How long the app takes per request, on the emulator's clock (and reported as HttpResponseTime).</summary>
    public TimeSpan Latency
    {
        get { lock (_gate) { return _latency; } }
        set { lock (_gate) { _latency = value; } }
    }

    /// <summary><c>properties.state</c>: <c>Running</c> or <c>Stopped</c>; a stopped slot's data plane answers 403.</summary>
    public string State
    {
        get { lock (_gate) { return _state; } }
        set { lock (_gate) { _state = value; } }
    }

    /// <summary>The slot's own app settings (what its deployment carries); sticky ones stay with the slot in a swap.</summary>
    public IReadOnlyDictionary<string, string> AppSettings
    {
        get { lock (_gate) { return new Dictionary<string, string>(OwnSettings, StringComparer.Ordinal); } }
    }

    /// <summary>The settings the app runs with now: its own, or during a swap with preview the target's sticky ones over them.</summary>
    public IReadOnlyDictionary<string, string> EffectiveAppSettings
    {
        get { lock (_gate) { return new Dictionary<string, string>(PreviewSettings ?? OwnSettings, StringComparer.Ordinal); } }
    }

    /// <summary><c>properties.targetSwapSlot</c>: set while a swap with preview from this slot is pending.</summary>
    public string? TargetSwapSlot { get { lock (_gate) { return TargetSwap; } } }

    /// <summary>The routing rules in this slot's config/web (only production's route traffic).</summary>
    public IReadOnlyList<EmulatedRampUpRule> RampUpRules
    {
        get
        {
            lock (_gate)
            {
                return ConfigProperties["experiments"]?["rampUpRules"] is JsonArray rules
                    ? rules.OfType<JsonObject>().Select(EmulatedRampUpRule.From).ToList()
                    : [];
            }
        }
    }

    /// <summary>The slot's tags (production's are the site's), as the tags-at-scope API sees them.</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get { lock (_gate) { return new Dictionary<string, string>(TagStore, StringComparer.Ordinal); } }
    }

    public void SetTag(string name, string value)
    {
        lock (_gate)
        {
            TagStore[name] = value;
        }
    }

    /// <summary>Sets a config/web member as a PATCH would (e.g. <c>autoSwapSlotName</c>), for seeding a test.</summary>
    public void SetConfigProperty(string name, JsonNode? value)
    {
        lock (_gate)
        {
            ConfigProperties[name] = value;
        }
    }

    public void SetAppSetting(string name, string value)
    {
        lock (_gate)
        {
            OwnSettings[name] = value;
        }
    }

    internal Dictionary<string, string> OwnSettings { get; set; } = new(StringComparer.Ordinal);

    // Tag names are case-insensitive in ARM; values are not.
    internal Dictionary<string, string> TagStore { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    internal Dictionary<string, string>? PreviewSettings { get; set; }

    internal string? TargetSwap { get; set; }

    /// <summary>config/web members set through PATCH, laid over the example's.</summary>
    internal JsonObject ConfigProperties { get; } = [];

    internal (DateTimeOffset Time, string Source, string Destination)? LastSwap { get; set; }

    internal (string Version, double ErrorRate, TimeSpan Latency) Content
    {
        get => (_version, _errorRate, _latency);
        set => (_version, _errorRate, _latency) = value;
    }

    public override string ToString() => $"{App.Name}/{Name} ({HostName}, {Version})";
}

/// <summary>A rule of <c>experiments.rampUpRules</c> as the emulator stored it.</summary>
public sealed record EmulatedRampUpRule(string? Name, string? ActionHostName, double ReroutePercentage)
{
    internal static EmulatedRampUpRule From(JsonObject rule) => new(
        rule["name"]?.GetValue<string>(),
        rule["actionHostName"]?.GetValue<string>(),
        rule["reroutePercentage"] is JsonValue v && v.TryGetValue<double>(out var p) ? p : 0);
}
