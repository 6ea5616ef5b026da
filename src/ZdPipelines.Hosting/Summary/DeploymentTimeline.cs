using System.Globalization;
using System.Text.RegularExpressions;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Hosting.Summary;

/// <summary>
/// Everything a summary needs, gathered from the engine's event stream as it happens: an observer the hosting layer
/// calls for every <see cref="DeploymentEvent"/>. Steps with their durations, every gate verdict, each measurement
/// with its time, the candidate weight over time, the rollback reason and the outcome.
/// </summary>
/// <remarks>
/// The events do not carry the candidate weight. It is derived here from the step that completed: exactly, from
/// the plan (<see cref="UsePlan"/>: a <see cref="SetWeight"/> or <see cref="SwitchTraffic"/> at that index), and for
/// rollback steps, whose plan is made at rollback time and not announced, from the step's description. Wanted in the
/// events instead (for the lead): <c>PlanStep Step</c> on <see cref="StepStarted"/>/<see cref="StepCompleted"/>/
/// <see cref="StepSkipped"/>, and the observed <c>int? CandidateWeight</c> on <see cref="DeploymentStarted"/>.
/// </remarks>
public sealed partial class DeploymentTimeline
{
    private readonly Lock _sync = new();
    private readonly List<StepRow> _steps = [];
    private readonly List<GateResult> _gates = [];
    private readonly List<GateMeasurementPoint> _measurements = [];
    private readonly List<WeightPoint> _weights = [];
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, int> _inconclusivesSoFar = new(StringComparer.Ordinal);
    private IReadOnlyList<PlanStep>? _planSteps;

    public DeploymentStarted? Started { get; private set; }

    public DeploymentFinished? Finished { get; private set; }

    public string? RollbackReason { get; private set; }

    public IReadOnlyList<StepRow> Steps => Snapshot(_steps);

    public IReadOnlyList<GateResult> Gates => Snapshot(_gates);

    public IReadOnlyList<GateMeasurementPoint> Measurements => Snapshot(_measurements);

    public IReadOnlyList<WeightPoint> Weights => Snapshot(_weights);

    public IReadOnlyList<string> Warnings => Snapshot(_warnings);

    /// <summary>The plan the engine runs, so weights come from its steps rather than from their descriptions.</summary>
    public void UsePlan(DeploymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        lock (_sync)
        {
            _planSteps = plan.Steps;
        }
    }

    public void Observe(DeploymentEvent deploymentEvent)
    {
        ArgumentNullException.ThrowIfNull(deploymentEvent);
        lock (_sync)
        {
            switch (deploymentEvent)
            {
                case DeploymentStarted started:
                    Started = started;
                    // A canary starts with all traffic on stable (the strategy plans from weight 0); a resumed run may not.
                    if (!started.Resumed && started.Strategy.Equals("canary", StringComparison.OrdinalIgnoreCase))
                    {
                        _weights.Add(new WeightPoint(started.At, 0, null));
                    }

                    break;
                case StepStarted step:
                    _steps.Add(new StepRow(step.Index, step.Of, step.Description, step.Rollback, StepStatus.Running, null, step.At));
                    break;
                case StepCompleted step:
                    Complete(step.Index, step.Rollback, step.Description, StepStatus.Completed, step.Took, step.At);
                    if (WeightAfter(step.Index, step.Description, step.Rollback) is { } weight)
                    {
                        _weights.Add(new WeightPoint(step.At, weight, step.Index));
                    }

                    break;
                case StepSkipped step:
                    Complete(step.Index, step.Rollback, step.Description, StepStatus.Skipped, TimeSpan.Zero, step.At);
                    break;
                case GateMeasured measured:
                    _measurements.Add(Measurement(measured));
                    break;
                case GateEvaluated evaluated:
                    _gates.Add(evaluated.Result);
                    break;
                case RollbackStarted rollback:
                    RollbackReason = rollback.Reason;
                    break;
                case Warning warning:
                    _warnings.Add(warning.Message);
                    break;
                case DeploymentFinished finished:
                    Finished = finished;
                    RollbackReason ??= finished.Outcome is DeploymentOutcome.RolledBack or DeploymentOutcome.Cancelled ? finished.Reason : null;
                    break;
            }
        }
    }

    /// <summary>
    /// The value of this one measurement. <see cref="GateResult.LastValue"/> is the last value that counted, so after a
    /// measurement without data it still shows the one before: such a measurement has no value of its own.
    /// </summary>
    private GateMeasurementPoint Measurement(GateMeasured measured)
    {
        var soFar = measured.SoFar;
        var previous = soFar.Measurements <= 1 ? 0 : _inconclusivesSoFar.GetValueOrDefault(soFar.Gate);
        _inconclusivesSoFar[soFar.Gate] = soFar.Inconclusives;
        var value = soFar.Inconclusives > previous ? null : soFar.LastValue;
        return new GateMeasurementPoint(measured.At, soFar.Gate, value, soFar.Samples, soFar.Condition);
    }

    private void Complete(int index, bool rollback, string description, StepStatus status, TimeSpan took, DateTimeOffset at)
    {
        var open = _steps.FindLastIndex(s => s.Index == index && s.Rollback == rollback && s.Status == StepStatus.Running);
        if (open >= 0)
        {
            _steps[open] = _steps[open] with { Status = status, Took = took };
        }
        else
        {
            _steps.Add(new StepRow(index, 0, description, rollback, status, took, at - took));
        }
    }

    private int? WeightAfter(int index, string description, bool rollback)
    {
        if (!rollback && _planSteps is { } plan && index >= 1 && index <= plan.Count)
        {
            return plan[index - 1] switch
            {
                SetWeight w => w.Percent,
                SwitchTraffic s => s.To == Side.Candidate ? 100 : 0,
                _ => null,
            };
        }

        // The wording of SetWeight.Describe() and SwitchTraffic.Describe() in Core/Plans/PlanStep.cs.
        if (SetWeightDescription().Match(description) is { Success: true } match)
        {
            return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return description switch
        {
            "switch all traffic to candidate" => 100,
            "switch all traffic to stable" => 0,
            _ => null,
        };
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_sync)
        {
            return [.. list];
        }
    }

    [GeneratedRegex(@"^set candidate weight to (\d{1,3}) %$")]
    private static partial Regex SetWeightDescription();
}

public enum StepStatus
{
    Running,
    Completed,
    Skipped,
}

public sealed record StepRow(int Index, int Of, string Description, bool Rollback, StepStatus Status, TimeSpan? Took, DateTimeOffset StartedAt);

public sealed record GateMeasurementPoint(DateTimeOffset At, string Gate, double? Value, int Samples, string Condition);

/// <summary>The candidate's share of traffic from <see cref="At"/> on; <see cref="Step"/> is the step that set it.</summary>
public sealed record WeightPoint(DateTimeOffset At, int Weight, int? Step);
