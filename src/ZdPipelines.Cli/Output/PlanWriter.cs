using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Hosting.Session;

namespace ZdPipelines.Cli.Output;

/// <summary>Prints a <see cref="DeploymentPlan"/>: in full for `zdp plan`, briefly before `zdp deploy` runs it.</summary>
internal static class PlanWriter
{
    public static void Full(CommandOutput output, PlanReport report)
    {
        var (spec, platform, plan) = (report.Spec, report.Platform, report.Plan);
        if (output.IsJson)
        {
            output.Json(Document(report), CliJson.Document);
            return;
        }

        output.Line(output.Paint($"plan for {spec.Name}", Ansi.Bold) + $": {plan.Strategy} on {platform.Kind} ({platform.Target})");
        output.Line();
        output.Line("steps:");
        Numbered(output, plan.Steps);
        output.Line();
        output.Line("rollback path (from the end state back to the current one; a rollback part-way is planned from the state it meets):");
        if (plan.Rollback.Count == 0)
        {
            output.Line("   nothing to undo");
        }
        else
        {
            Numbered(output, plan.Rollback);
        }

        if (plan.Notes.Count > 0)
        {
            output.Line();
            output.Line("notes:");
            foreach (var note in plan.Notes)
            {
                output.Line($"  - {note}");
            }
        }

        output.Line();
        output.Line($"predicted minimum duration: {Durations.Format(plan.PredictedMinimum)} (pauses, health checks, drains and gate intervals; hooks and API calls come on top)");
        output.Line($"capabilities used: {string.Join(", ", report.CapabilitiesUsed)}");
        output.Line("nothing was changed.");
    }

    /// <summary>The plan in a few lines, before the engine starts on it.</summary>
    public static void Brief(CommandOutput output, PlanReport report)
    {
        var (spec, platform, plan) = (report.Spec, report.Platform, report.Plan);
        if (output.IsJson)
        {
            output.Json(new { @event = "plan", plan = Document(report) }, CliJson.Lines);
            return;
        }

        output.Line($"plan: {plan.Strategy} of {spec.Name} on {platform.Kind} ({platform.Target}), {plan.Steps.Count} steps, " +
            $"at least {Durations.Format(plan.PredictedMinimum)}; rollback path {plan.Rollback.Count} steps");
        Numbered(output, plan.Steps);
    }

    public static void Refusal(CommandOutput output, string service, IReadOnlyList<string> problems)
    {
        if (output.IsJson)
        {
            output.Json(new { @event = "refused", service, problems }, CliJson.Lines);
            return;
        }

        output.Problem($"zdp cannot deploy {service} here:");
        foreach (var problem in problems)
        {
            output.Problem($"  - {problem}");
        }
    }

    private static object Document(PlanReport report) => new
    {
        service = report.Spec.Name,
        platform = new { kind = report.Platform.Kind, target = report.Platform.Target },
        strategy = report.Plan.Strategy,
        steps = report.Plan.Steps.Select((s, i) => new StepDocument(i + 1, s.Describe(), s)).ToList(),
        rollback = report.Plan.Rollback.Select((s, i) => new StepDocument(i + 1, s.Describe(), s)).ToList(),
        predictedMinimum = report.Plan.PredictedMinimum,
        predictedMinimumText = Durations.Format(report.Plan.PredictedMinimum),
        notes = report.Plan.Notes,
        capabilitiesUsed = report.CapabilitiesUsed,
    };

    private static void Numbered(CommandOutput output, IReadOnlyList<PlanStep> steps)
    {
        var width = steps.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        for (var i = 0; i < steps.Count; i++)
        {
            output.Line($"  {(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)}. {steps[i].Describe()}");
        }
    }

    /// <summary>A step as data (with its "kind" discriminator) plus the sentence `plan` prints for it.</summary>
    private sealed record StepDocument(int Number, string Description, PlanStep Step);
}
