using System.Text;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Hosting.Summary;
using ZdPipelines.Hosting.Tests.Support;

namespace ZdPipelines.Hosting.Tests.Summary;

public sealed class JobSummaryRendererTests
{
    [Fact]
    public void A_rolled_back_canary_shows_outcome_reason_gate_evidence_and_steps_with_durations()
    {
        var markdown = Render(Events.RolledBackCanary());

        Assert.StartsWith("## ↩ zdp deploy: shop-api — rolled back\n", markdown);
        Assert.Contains("**Outcome:** rolled back (exit 1) · **Duration:** 2.5s · **Strategy:** canary · **Steps:** 1 of 4 · **Deployment:** `shop-1`", markdown);
        Assert.Contains("> **Rolled back:** step 2 (gate 'error-rate' on candidate): gate 'error-rate' failed", markdown);
        Assert.Contains("| error-rate | ❌ failed | 0.32 | &lt; 0.05 | 99 | 2 | 1 | 0 |  |", markdown);
        Assert.Contains("| 1 | set candidate weight to 10 % | done | 100ms |", markdown);
        Assert.Contains("| 2 | gate 'error-rate' on candidate | not finished | — |", markdown);
        Assert.Contains("| ↺ 1 | rollback: set candidate weight to 0 % | done | 500ms |", markdown);
    }

    [Fact]
    public void The_weight_chart_follows_the_weight_up_and_back_down_on_the_deployments_clock()
    {
        var markdown = Render(Events.RolledBackCanary());

        Assert.Contains(
            "```mermaid\nxychart-beta\n    title \"Candidate weight (%)\"\n    x-axis \"seconds since start\" [\"0.0s\", \"0.1s\", \"2.5s\"]\n" +
            "    y-axis \"weight %\" 0 --> 100\n    line [0, 10, 0]\n```\n", markdown);
    }

    [Fact]
    public void Each_gate_gets_a_chart_of_its_values_beside_its_threshold()
    {
        var markdown = Render(Events.RolledBackCanary());

        Assert.Contains(
            "    title \"Gate error-rate (< 0.05)\"\n    x-axis \"seconds since start\" [\"1.0s\", \"2.0s\"]\n    y-axis \"value\" 0 --> 0.352\n" +
            "    line [0.01, 0.32]\n    line [0.05, 0.05]\n```\n\nLines: first = value, second = threshold.", markdown);
    }

    [Fact]
    public void The_timeline_table_carries_the_same_data_for_renderers_without_charts()
    {
        var markdown = Render(Events.RolledBackCanary(), new JobSummaryOptions { Charts = ChartSyntax.None });

        Assert.DoesNotContain("mermaid", markdown);
        Assert.Contains("| +0.0s | 0 % |  |  |  |\n| +0.1s | 10 % |  |  |  |\n| +1.0s |  | error-rate | 0.01 | 90 |\n| +2.0s |  | error-rate | 0.32 | 99 |\n| +2.5s | 0 % |  |  |  |\n", markdown);
    }

    [Fact]
    public void With_the_plan_known_the_weight_comes_from_its_steps_not_their_wording()
    {
        var timeline = new DeploymentTimeline();
        timeline.UsePlan(new DeploymentPlan("canary", [new SetWeight(25), new SwitchTraffic(Side.Candidate)], [], TimeSpan.Zero, []));
        timeline.Observe(new DeploymentStarted(Events.At(0), "d", "canary", 2, false));
        timeline.Observe(new StepCompleted(Events.At(1), 1, 2, "a reworded description", TimeSpan.FromSeconds(1), false));
        timeline.Observe(new StepCompleted(Events.At(2), 2, 2, "another", TimeSpan.Zero, false));

        Assert.Equal([0, 25, 100], timeline.Weights.Select(w => w.Weight));
    }

    [Fact]
    public void A_measurement_without_data_has_no_value_of_its_own()
    {
        var timeline = new DeploymentTimeline();
        timeline.Observe(new GateMeasured(Events.At(1), Events.Gate("e", GateVerdict.Pass, 0.01, 50, 1)));
        timeline.Observe(new GateMeasured(Events.At(2), Events.Gate("e", GateVerdict.Pass, 0.01, 50, 2, inconclusives: 1)));
        timeline.Observe(new GateMeasured(Events.At(3), Events.Gate("e", GateVerdict.Pass, 0.02, 60, 3, inconclusives: 1)));

        Assert.Equal([0.01, null, 0.02], timeline.Measurements.Select(m => m.Value));
    }

    [Fact]
    public void Table_cells_escape_pipes_and_angle_brackets()
    {
        Assert.Equal("a \\| b &lt;x&gt; c", JobSummaryRenderer.Cell("a | b <x>\nc"));
    }

    [Fact]
    public void A_summary_over_the_budget_is_cut_at_a_line_with_the_open_fence_closed_and_a_note()
    {
        var markdown = "## title\n\n```mermaid\n" + string.Concat(Enumerable.Repeat("    line [1, 2, 3]\n", 1000)) + "```\n";

        var cut = MarkdownBudget.Fit(markdown, 4096);

        Assert.True(Encoding.UTF8.GetByteCount(cut) <= 4096);
        Assert.Equal(2, cut.Split('\n').Count(l => l.StartsWith("```", StringComparison.Ordinal)));
        Assert.EndsWith("> ✂ This summary was cut to 4 KiB of 19 KiB (the most a step's summary may hold); the step's log has every event.\n", cut);
    }

    [Fact]
    public void A_summary_within_the_budget_is_left_alone()
    {
        Assert.Equal("short\n", MarkdownBudget.Fit("short\n", JobSummaryOptions.GitHubMaxBytes));
    }

    private static string Render(IEnumerable<DeploymentEvent> events, JobSummaryOptions? options = null)
    {
        var timeline = new DeploymentTimeline();
        foreach (var e in events)
        {
            timeline.Observe(e);
        }

        return JobSummaryRenderer.Render(timeline, new SummaryHeader("deploy", "shop-api", 1), options ?? new JobSummaryOptions());
    }
}
