namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>The App Service platform's own figures, each with where it comes from. Tests and the benchmark set them to the emulator's.</summary>
internal sealed record AppServicePlatformOptions
{
    /// <summary>
    /// The least a swap takes, for the plan's predicted minimum: App Service restarts the slot's instances with production's
    /// settings and warms each one up before routing flips, which takes about a minute even for a small app; the 11–23
    /// minute swaps users report (reference notes, anchors.md) come on top.
    /// </summary>
    public TimeSpan SwapDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Between writing the lease tag and reading it back (<see cref="AppServiceLease"/>): several times an ARM write's round
    /// trip (well under a second), so a run that read the tag free just before ours landed has written by then; it narrows
    /// the race, it cannot close it.
    /// </summary>
    public TimeSpan LeaseSettleDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one health probe of a slot may take: App Service's own warm-up waits 90 s per request, a health path should answer in far less.</summary>
    public TimeSpan HealthProbeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a slot that does not answer yet is asked again (and the engine's expected wait for health).</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>ARM allows 50 tags per resource; the journal takes at most 40, the lease one, and ten stay free for the user's own.</summary>
    public int MaxJournalTags { get; init; } = 40;

    /// <summary>
    /// After ARM reports a swap done, how long to wait for the site's slotSwapStatus to show it: zdp tells the slots apart by
    /// it (<see cref="SwapLedger"/>), and ARM's reads may lag its writes by a few seconds.
    /// </summary>
    public TimeSpan SwapStatusWait { get; init; } = TimeSpan.FromSeconds(60);
}
