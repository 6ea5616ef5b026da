namespace ZdPipelines.AzureEmulator.State;

/// <summary>
/// Everything the emulator knows about Azure resources: subscriptions, resource groups, web apps, and the long-running
/// operations it runs. One lock (<see cref="Gate"/>) guards it all; swaps complete on timers of the emulator's clock.
/// </summary>
internal sealed class ArmState : IDisposable
{
    private const string HostCharacters = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly ArmEmulatorOptions _options;
    private readonly Dictionary<string, HashSet<string>> _resourceGroups = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EmulatedWebApp> _apps = [];
    private readonly Dictionary<string, (EmulatedWebApp App, EmulatedSwap Swap)> _operations = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ITimer> _timers = [];

    public ArmState(ArmEmulatorOptions options) => _options = options;

    public object Gate { get; } = new();

    public TimeProvider Time => _options.TimeProvider;

    public Random Random => _options.Random;

    public IReadOnlyList<EmulatedWebApp> Apps
    {
        get { lock (Gate) { return [.. _apps]; } }
    }

    public void AddResourceGroup(string subscriptionId, string resourceGroup)
    {
        lock (Gate)
        {
            if (!_resourceGroups.TryGetValue(subscriptionId, out var groups))
            {
                _resourceGroups[subscriptionId] = groups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            }

            groups.Add(resourceGroup);
        }
    }

    public bool HasSubscription(string subscriptionId)
    {
        lock (Gate)
        {
            return _resourceGroups.ContainsKey(subscriptionId);
        }
    }

    public bool HasResourceGroup(string subscriptionId, string resourceGroup)
    {
        lock (Gate)
        {
            return _resourceGroups.TryGetValue(subscriptionId, out var groups) && groups.Contains(resourceGroup);
        }
    }

    public EmulatedWebApp AddWebApp(string subscriptionId, string resourceGroup, string name, string location, string productionVersion)
    {
        lock (Gate)
        {
            AddResourceGroup(subscriptionId, resourceGroup);
            if (FindApp(subscriptionId, resourceGroup, name) is not null)
            {
                throw new InvalidOperationException($"web app {name} already exists in {resourceGroup}.");
            }

            var app = new EmulatedWebApp(Gate, subscriptionId, resourceGroup, name, location, _options.HostNameSuffix, slot => SlotHostName(name, slot), productionVersion);
            _apps.Add(app);
            return app;
        }
    }

    /// <summary>Call under <see cref="Gate"/>.</summary>
    public EmulatedWebApp? FindApp(string subscriptionId, string resourceGroup, string name) =>
        _apps.FirstOrDefault(a =>
            string.Equals(a.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.ResourceGroup, resourceGroup, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The slot whose <c>defaultHostName</c> is <paramref name="host"/>. Call under <see cref="Gate"/>.</summary>
    public EmulatedSlot? FindSlotByHost(string host) =>
        _apps.SelectMany(a => a.Slots).FirstOrDefault(s => string.Equals(s.HostName, host, StringComparison.OrdinalIgnoreCase));

    /// <summary>Starts a swap and arms its completion on the emulator's clock. Call under <see cref="Gate"/>.</summary>
    public EmulatedSwap StartSwap(EmulatedWebApp app, string source, string target)
    {
        var now = Time.GetUtcNow();
        var swap = app.StartSwap(Guid.NewGuid().ToString(), source, target, now, _options.SwapDuration);
        _operations[swap.Id] = (app, swap);
        if (_options.SwapDuration <= TimeSpan.Zero)
        {
            app.Complete(swap, now);
            return swap;
        }

        _timers.Add(Time.CreateTimer(
            _ =>
            {
                lock (Gate)
                {
                    app.Complete(swap, Time.GetUtcNow());
                }
            },
            null,
            _options.SwapDuration,
            Timeout.InfiniteTimeSpan));
        return swap;
    }

    /// <summary>A swap by its operation id. Call under <see cref="Gate"/>.</summary>
    public (EmulatedWebApp App, EmulatedSwap Swap)? FindOperation(string id) => _operations.TryGetValue(id, out var found) ? found : null;

    private string SlotHostName(string site, string slot)
    {
        if (!_options.RandomSlotHostNames)
        {
            return $"{site}-{slot}.{_options.HostNameSuffix}".ToLowerInvariant();
        }

        // deploy-staging-slots.md: "the site name is truncated at 40 characters, the slot name is truncated at 19 characters,
        // and 4 extra random characters are appended". A DNS label holds at most 63 characters.
        var suffix = new string([.. Enumerable.Range(0, 4).Select(_ => HostCharacters[Random.Next(HostCharacters.Length)])]);
        var label = $"{Cut(site, 40)}-{Cut(slot, 19)}-{suffix}";
        return $"{Cut(label, 63)}.{_options.HostNameSuffix}".ToLowerInvariant();
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    public void Dispose()
    {
        lock (Gate)
        {
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }
    }
}
