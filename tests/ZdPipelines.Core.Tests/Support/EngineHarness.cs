using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Hooks;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Simulated;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Tests.Support;

/// <summary>
/// The engine on the simulated platform and a fake clock. After every completed step it checks the
/// safety invariants and records any breach; tests assert the list is empty.
/// </summary>
internal sealed class EngineHarness
{
    public EngineHarness(DeploymentSpec spec, bool candidatesRegistered = true, FakeTimeProvider? time = null, SimulatedPlatform? platform = null)
    {
        Spec = spec;
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        Platform = platform ?? new SimulatedPlatform(spec.Platform.OptionsAs<SimulatedPlatformOptions>(), Time, candidatesRegistered);
        Start = Platform.Snapshot();
    }

    public DeploymentSpec Spec { get; }
    public FakeTimeProvider Time { get; }
    public SimulatedPlatform Platform { get; }
    public PlatformSnapshot Start { get; }
    public ScriptedGateSource Scripted { get; } = new();
    public RecordingHookRunner Hooks { get; } = new();
    public List<DeploymentEvent> Events { get; } = [];
    public List<string> Breaches { get; } = [];
    public List<int> WeightsSeen { get; } = [];
    public string Owner { get; init; } = "test-runner";

    /// <summary>The engine's own clock, when it is not the platform's: a frozen process is one whose clock stands still.</summary>
    public FakeTimeProvider? EngineTime { get; init; }

    /// <summary>Engine options beyond the owner, e.g. taking over a lease.</summary>
    public EngineOptions Options { get; init; } = new();

    public DeploymentPlan Plan()
    {
        var result = DeploymentPlanner.Plan(Spec, Platform.Capabilities(), Platform.Snapshot());
        Assert.True(result.Plan is not null, string.Join("; ", result.Problems));
        return result.Plan!;
    }

    public DeploymentEngine Engine() => new(
        Platform,
        new GateEvaluator([new PlatformMetricsSource(Platform), Scripted], EngineTime ?? Time),
        Hooks,
        EngineTime ?? Time,
        Options with { Owner = Owner },
        OnEvent);

    public Task<DeploymentResult> DeployAsync(string digest = "digest-1", CancellationToken cancellationToken = default) =>
        DriveAsync(Engine().DeployAsync(Spec, Plan(), digest, cancellationToken));

    /// <summary>Moves the fake clock forward until the engine task ends; every wait in the engine is on this clock.</summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan? limit = null)
    {
        var until = Time.GetUtcNow() + (limit ?? TimeSpan.FromHours(3));
        while (!task.IsCompleted)
        {
            await Task.Delay(1);
            if (task.IsCompleted)
            {
                break;
            }

            if (Time.GetUtcNow() >= until)
            {
                return await task.WaitAsync(TimeSpan.FromSeconds(5));
            }

            Time.Advance(TimeSpan.FromMilliseconds(500));
        }

        return await task;
    }

    /// <summary>
    /// Simulates the deploying process dying at the first platform change for which <paramref name="at"/>
    /// holds (after the change took effect, or before it with <paramref name="beforeTheChange"/>): that call
    /// never returns, the dead owner's lease renewals stop landing, and the clock moves past its lease.
    /// Returns a harness for a second run (another owner) on the same platform and clock.
    /// </summary>
    public async Task<EngineHarness> CrashAsync(Func<int, string, bool> at, bool beforeTheChange = false)
    {
        var crashed = false;
        Func<int, string, Task> hang = async (n, what) =>
        {
            if (!crashed && at(n, what))
            {
                crashed = true;
                await Task.Delay(Timeout.Infinite, CancellationToken.None); // the process is gone
            }
        };
        if (beforeTheChange)
        {
            Platform.BeforeMutation = hang;
        }
        else
        {
            Platform.AfterMutation = hang;
        }

        _ = DeployAsync();
        await RunClockUntilAsync(() => crashed, TimeSpan.FromHours(1));
        Platform.BeforeMutation = null;
        Platform.AfterMutation = null;
        ((InMemoryDeploymentStore)Platform.Store).MarkOwnerDead(Owner);
        Time.Advance(EngineDefaults.LeaseDuration + TimeSpan.FromSeconds(1));
        return new EngineHarness(Spec, time: Time, platform: Platform) { Owner = Owner + "-rerun" };
    }

    /// <summary>Lets the clock run while <paramref name="until"/> is false (for a task that is expected to hang).</summary>
    public async Task RunClockUntilAsync(Func<bool> until, TimeSpan limit)
    {
        var end = Time.GetUtcNow() + limit;
        while (!until() && Time.GetUtcNow() < end)
        {
            await Task.Delay(1);
            Time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(until(), "the awaited condition never held");
    }

    private void OnEvent(DeploymentEvent e)
    {
        lock (Events)
        {
            Events.Add(e);
        }

        if (e is StepCompleted or StepSkipped)
        {
            var s = Platform.Snapshot();
            WeightsSeen.Add(s.CandidateWeight);
            Breaches.AddRange(Invariants.Check(s, Platform.CapacityFloor).Select(b => $"after '{Describe(e)}': {b}"));
            if (Platform.Store is InMemoryDeploymentStore store && store.CurrentLease is null)
            {
                Breaches.Add($"after '{Describe(e)}': no lease held while the deployment runs");
            }
        }
    }

    private static string Describe(DeploymentEvent e) => e switch
    {
        StepCompleted c => c.Description,
        StepSkipped s => s.Description,
        _ => e.GetType().Name,
    };

    /// <summary>The platform as it was when the deployment started, compared field by field.</summary>
    public void AssertRestored()
    {
        var now = Platform.Snapshot();
        Assert.Equal(Start.ActiveSide, now.ActiveSide);
        Assert.Equal(Start.CandidateWeight, now.CandidateWeight);
        foreach (var t in Start.Targets)
        {
            var n = now.Find(t.Id)!;
            Assert.True(t.Registered == n.Registered, $"{t.Id} registered {n.Registered}, was {t.Registered}");
            Assert.True(t.Updated == n.Updated, $"{t.Id} updated {n.Updated}, was {t.Updated}");
            if (t.Registered && t.Health == TargetHealth.Healthy)
            {
                Assert.Equal(TargetHealth.Healthy, n.Health);
            }
        }
    }

    public void AssertSafe()
    {
        Assert.Empty(Breaches);
        Assert.Empty(Platform.Violations);
    }
}

/// <summary>The invariants every engine test checks after every step.</summary>
internal static class Invariants
{
    public static IEnumerable<string> Check(PlatformSnapshot s, int capacityFloor)
    {
        if (s.CandidateWeight is < 0 or > 100)
        {
            yield return $"weight {s.CandidateWeight} is outside 0..100";
        }

        foreach (var side in new[] { Side.Stable, Side.Candidate })
        {
            if (s.TrafficShare(side) > 0 && s.HealthyServing(side) == 0)
            {
                yield return $"{s.TrafficShare(side)} % of traffic goes to {side}, which has no healthy target";
            }
        }

        var healthy = s.Targets.Count(t => t.Registered && t.Health == TargetHealth.Healthy);
        if (capacityFloor > 0 && healthy < capacityFloor)
        {
            yield return $"{healthy} healthy targets, below the floor of {capacityFloor}";
        }
    }
}

/// <summary>The platform's own metrics as a gate source (what the CLI registers as "metrics").</summary>
internal sealed class PlatformMetricsSource(IPlatformMetrics metrics) : IGateSource
{
    public string Kind => "metrics";

    public Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken) =>
        metrics.MeasureAsync(gate.SourceAs<MetricsGateOptions>()!.Metric, gate.SourceAs<MetricsGateOptions>()!.Side, gate.SourceAs<MetricsGateOptions>()!.Window, cancellationToken);
}

/// <summary>A gate source whose answers a test scripts per gate name: a value, or no data.</summary>
internal sealed class ScriptedGateSource : IGateSource
{
    private readonly Dictionary<string, Queue<double?>> _answers = [];

    public string Kind => "command";

    public int Calls { get; private set; }

    public void Answer(string gate, params double?[] values) => _answers[gate] = new Queue<double?>(values);

    public Task<Measurement> MeasureAsync(GateSpec gate, GateContext context, CancellationToken cancellationToken)
    {
        Calls++;
        var value = _answers.TryGetValue(gate.Name, out var q) && q.Count > 0 ? q.Dequeue() : 0;
        return Task.FromResult(value is null ? Measurement.NoData("scripted: no data") : new Measurement(value, 10));
    }
}

internal sealed class RecordingHookRunner : IHookRunner
{
    public List<(string Hook, HookContext Context)> Calls { get; } = [];

    public Func<HookSpec, HookContext, int> ExitCode { get; set; } = (_, _) => 0;

    public Task<HookResult> RunAsync(HookSpec hook, HookContext context, CancellationToken cancellationToken)
    {
        Calls.Add((hook.Name, context));
        return Task.FromResult(new HookResult(ExitCode(hook, context), $"{hook.Name} ran"));
    }
}
