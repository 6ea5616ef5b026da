namespace ZdPipelines.AzureEmulator;

/// <summary>How the emulator behaves. Every wait it imposes runs on <see cref="TimeProvider"/>; every choice it makes at random uses <see cref="Random"/>.</summary>
public sealed record ArmEmulatorOptions
{
    /// <summary>The clock of swaps, tokens, metrics and data-plane timestamps. Tests pass a FakeTimeProvider and advance it.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Routing of production traffic by ramp-up rules, host-name suffixes and injected data-plane errors. Seeded for repeatable tests.</summary>
    public Random Random { get; init; } = new(ArmEmulatorDefaults.Seed);

    /// <summary>The Entra ID tenant that issues tokens and owns the subscriptions.</summary>
    public string TenantId { get; init; } = ArmEmulatorDefaults.TenantId;

    /// <summary>
    /// How long a swap runs before it succeeds or fails. Zero answers the swap with 200 at once (the description allows 200 or 202).
    /// </summary>
    public TimeSpan SwapDuration { get; init; } = ArmEmulatorDefaults.SwapDuration;

    /// <summary>The <c>Retry-After</c> on 202 answers and on polls of running operations.</summary>
    public TimeSpan OperationRetryAfter { get; init; } = ArmEmulatorDefaults.OperationRetryAfter;

    /// <summary>Which header a 202 carries to follow a long-running operation.</summary>
    public LongRunningStyle LongRunningStyle { get; init; } = LongRunningStyle.Location;

    /// <summary>When true, tag writes answer 202 and <c>Location</c> (as resources.json allows) instead of 200.</summary>
    public bool TagWritesAreLongRunning { get; init; }

    /// <summary>The DNS suffix of default host names.</summary>
    public string HostNameSuffix { get; init; } = "azurewebsites.net";

    /// <summary>
    /// When true, slot host names are App Service's truncated form with 4 random characters (site name cut at 40, slot name at
    /// 19: deploy-staging-slots.md), so a client that builds host names instead of reading <c>defaultHostName</c> fails.
    /// </summary>
    public bool RandomSlotHostNames { get; init; } = true;

    /// <summary>Lifetime of the access tokens the emulated Entra ID issues.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The path at which each slot's app answers its health check.</summary>
    public string HealthPath { get; init; } = "/health";
}

/// <summary>How a 202 tells the client where to poll (ARM async-operations guide).</summary>
public enum LongRunningStyle
{
    /// <summary><c>Location</c>: 202 while running, 200 when done, the operation's error status when it failed.</summary>
    Location,

    /// <summary><c>Azure-AsyncOperation</c>: a status resource <c>{"status": "InProgress" | "Succeeded" | "Failed", "error"}</c>.</summary>
    AzureAsyncOperation,

    /// <summary>Both headers, as many resource providers send them; clients should prefer <c>Azure-AsyncOperation</c>.</summary>
    Both,
}

/// <summary>The defaults of <see cref="ArmEmulatorOptions"/>.</summary>
public static class ArmEmulatorDefaults
{
    public const int Seed = 20261201;

    public const string TenantId = "72f988bf-0000-4000-8000-00000000e0e0";

    /// <summary>30 s of emulated time: short on a fake clock, long enough that a client must poll at least once with the default Retry-After.</summary>
    public static readonly TimeSpan SwapDuration = TimeSpan.FromSeconds(30);

    /// <summary>5 s, a value ARM commonly sends for operations of this length.</summary>
    public static readonly TimeSpan OperationRetryAfter = TimeSpan.FromSeconds(5);
}
