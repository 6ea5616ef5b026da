using System.Globalization;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// Which slot of each app holds which version. ARM shows no version, only what a swap moves, so this counts the swaps the
/// deployment made on each app: an odd count means production holds the new version (the candidate) and the slot the
/// previous one. Kept beside the journal, so another machine, or a run resumed after a crash, sees the same sides.
/// </summary>
/// <remarks>
/// A run can die after ARM finished a swap and before its journal recorded it. Each app's count is therefore kept with the
/// site's <c>slotSwapStatus.timestampUtc</c> as of the count: when ARM now reports a later swap than that, the swap that was
/// not recorded is counted too. A step swaps an app at most once, so at most one swap can be missing.
/// </remarks>
internal sealed class SwapLedger
{
    private const string Prefix = "swaps.";

    private readonly object _gate = new();
    private readonly Dictionary<string, AppSwaps> _apps;

    private SwapLedger(Dictionary<string, AppSwaps> apps) => _apps = apps;

    /// <summary>No swap yet: production holds what it holds now, which is the stable version by definition.</summary>
    public static SwapLedger Fresh(IEnumerable<(string App, DateTimeOffset? LastSwap)> apps) =>
        new(apps.ToDictionary(a => a.App, a => new AppSwaps(0, AppSwaps.Truncate(a.LastSwap)), StringComparer.OrdinalIgnoreCase));

    public AppSwaps this[string app]
    {
        get
        {
            lock (_gate)
            {
                return _apps.TryGetValue(app, out var swaps) ? swaps : new AppSwaps(0, null);
            }
        }
    }

    /// <summary>Records a swap ARM reported as done, at <paramref name="reportedAt"/> (the site's new slotSwapStatus time).</summary>
    public void RecordSwap(string app, int swapsBefore, DateTimeOffset? reportedAt)
    {
        lock (_gate)
        {
            _apps[app] = new AppSwaps(swapsBefore + 1, AppSwaps.Truncate(reportedAt));
        }
    }

    /// <summary>The ledger as journal extras: <c>swaps.{i}</c> = "count|unix ms", by the app's position in the spec.</summary>
    public IReadOnlyDictionary<string, string> ToExtras(IReadOnlyList<string> apps)
    {
        lock (_gate)
        {
            var extras = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < apps.Count; i++)
            {
                var swaps = _apps.TryGetValue(apps[i], out var s) ? s : new AppSwaps(0, null);
                extras[Prefix + i.ToString(CultureInfo.InvariantCulture)] =
                    swaps.Swaps.ToString(CultureInfo.InvariantCulture) + "|" + (swaps.LastSwapAt?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "");
            }

            return extras;
        }
    }

    /// <summary>The ledger a journal carries; null when the extras are not one (a journal from another platform, or damaged).</summary>
    public static SwapLedger? FromExtras(IReadOnlyDictionary<string, string> extras, IReadOnlyList<string> apps)
    {
        ArgumentNullException.ThrowIfNull(extras);
        ArgumentNullException.ThrowIfNull(apps);
        var ledger = new Dictionary<string, AppSwaps>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < apps.Count; i++)
        {
            if (extras.GetValueOrDefault(Prefix + i.ToString(CultureInfo.InvariantCulture)) is not { } text
                || text.Split('|') is not [var count, var at]
                || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var swaps))
            {
                return null;
            }

            DateTimeOffset? last = long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            ledger[apps[i]] = new AppSwaps(swaps, last);
        }

        return new SwapLedger(ledger);
    }
}

/// <summary>The swaps a deployment made on one app, and the site's last swap time ARM reported as of that count.</summary>
internal sealed record AppSwaps(int Swaps, DateTimeOffset? LastSwapAt)
{
    /// <summary>The swaps made, with one ARM reports that the count does not hold yet (see <see cref="SwapLedger"/>).</summary>
    public int Live(DateTimeOffset? reported) => Swaps + (Truncate(reported) != LastSwapAt ? 1 : 0);

    /// <summary>Production holds the new version.</summary>
    public bool ProductionHoldsCandidate(DateTimeOffset? reported) => Live(reported) % 2 == 1;

    /// <summary>Times compare at the millisecond the journal keeps.</summary>
    public static DateTimeOffset? Truncate(DateTimeOffset? time) => time is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds()) : null;
}
