using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;

namespace ZdPipelines.Hosting.Tests.Support;

/// <summary>Engine events on a fixed clock, for renderer and reporter tests: a canary that fails its gate at 10 %.</summary>
internal static class Events
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    public static GateResult Gate(string name, GateVerdict verdict, double? value, int samples, int measurements, int failures = 0, int inconclusives = 0, string condition = "< 0.05") =>
        new(name, verdict, value, condition, samples, measurements, failures, inconclusives, null);

    public static IReadOnlyList<DeploymentEvent> RolledBackCanary() =>
    [
        new DeploymentStarted(At(0), "shop-1", "canary", 4, Resumed: false),
        new StepStarted(At(0), 1, 4, "set candidate weight to 10 %", false),
        new StepCompleted(At(0.1), 1, 4, "set candidate weight to 10 %", TimeSpan.FromMilliseconds(100), false),
        new StepStarted(At(0.1), 2, 4, "gate 'error-rate' on candidate", false),
        new GateMeasured(At(1), Gate("error-rate", GateVerdict.Pass, 0.01, 90, 1)),
        new GateMeasured(At(2), Gate("error-rate", GateVerdict.Fail, 0.32, 99, 2, failures: 1)),
        new GateEvaluated(At(2), Gate("error-rate", GateVerdict.Fail, 0.32, 99, 2, failures: 1)),
        new RollbackStarted(At(2), "step 2 (gate 'error-rate' on candidate): gate 'error-rate' failed"),
        new StepStarted(At(2), 1, 1, "set candidate weight to 0 %", true),
        new StepCompleted(At(2.5), 1, 1, "set candidate weight to 0 %", TimeSpan.FromMilliseconds(500), true),
        new DeploymentFinished(At(2.5), "shop-1", DeploymentOutcome.RolledBack, "step 2 (gate 'error-rate' on candidate): gate 'error-rate' failed", TimeSpan.FromSeconds(2.5), 3),
    ];
}
