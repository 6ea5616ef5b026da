using Microsoft.Extensions.Time.Testing;
using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Tests.Support;

namespace ZdPipelines.Core.Tests.Gates;

public sealed class GateEvaluatorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedGateSource _source = new();
    private static readonly GateContext Context = new(Core.Plans.Side.Candidate, "http://a", null, "d-1");

    private async Task<GateResult> Evaluate(GateSpec gate)
    {
        var task = new GateEvaluator([_source], _time).EvaluateAsync(gate, Context, null, default);
        while (!task.IsCompleted)
        {
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        return await task;
    }

    [Fact]
    public async Task Passes_when_every_measurement_meets_the_condition_and_reports_value_threshold_and_samples()
    {
        _source.Answer("g", 0, 0, 0);

        var result = await Evaluate(Specs.Scripted("g", count: 3));

        Assert.Equal(GateVerdict.Pass, result.Verdict);
        Assert.Equal(3, result.Measurements);
        Assert.Equal(10, result.Samples); // the last measurement's, not a sum over overlapping windows
        Assert.Equal("== 0", result.Condition);
    }

    [Fact]
    public async Task Fails_on_the_first_bad_measurement_with_failure_limit_zero_and_stops_measuring()
    {
        _source.Answer("g", 0, 5, 0, 0);

        var result = await Evaluate(Specs.Scripted("g", count: 4));

        Assert.Equal(GateVerdict.Fail, result.Verdict);
        Assert.Equal(5, result.LastValue);
        Assert.Equal(2, result.Measurements);
        Assert.Equal(2, _source.Calls);
    }

    [Fact]
    public async Task Tolerates_failures_up_to_the_failure_limit()
    {
        _source.Answer("g", 5, 0, 0);

        var result = await Evaluate(Specs.Scripted("g", count: 3) with { FailureLimit = 1 });

        Assert.Equal(GateVerdict.Pass, result.Verdict);
        Assert.Equal(1, result.Failures);
    }

    [Theory]
    [InlineData(NoDataPolicy.Inconclusive, GateVerdict.Inconclusive)]
    [InlineData(NoDataPolicy.Pass, GateVerdict.Pass)]
    [InlineData(NoDataPolicy.Fail, GateVerdict.Fail)]
    public async Task No_data_follows_the_gate_policy(NoDataPolicy policy, GateVerdict expected)
    {
        _source.Answer("g", null, null);

        var result = await Evaluate(Specs.Scripted("g", count: 2) with { NoData = policy });

        Assert.Equal(expected, result.Verdict);
    }

    [Fact]
    public async Task Too_few_samples_count_as_no_data()
    {
        _source.Answer("g", 0);

        var result = await Evaluate(Specs.Scripted("g", count: 1) with { MinSamples = 50 });

        Assert.Equal(GateVerdict.Inconclusive, result.Verdict);
        Assert.Equal(1, result.Inconclusives);
    }

    [Fact]
    public async Task Measurements_are_spaced_by_the_interval_on_the_clock()
    {
        _source.Answer("g", 0, 0, 0);
        var start = _time.GetUtcNow();

        await Evaluate(Specs.Scripted("g", count: 3) with { Interval = TimeSpan.FromSeconds(30) });

        Assert.InRange(_time.GetUtcNow() - start, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(62));
    }

    [Fact]
    public async Task A_missing_source_fails_the_gate_with_a_reason()
    {
        var result = await Evaluate(Specs.ErrorRate());

        Assert.Equal(GateVerdict.Fail, result.Verdict);
        Assert.Contains("no 'metrics' gate source", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ComparisonOperator.LessThan, 0.05, 0.04, true)]
    [InlineData(ComparisonOperator.LessThan, 0.05, 0.05, false)]
    [InlineData(ComparisonOperator.GreaterThanOrEqual, 0.99, 0.99, true)]
    [InlineData(ComparisonOperator.NotEqual, 0, 1, true)]
    public void Conditions_compare_as_written(ComparisonOperator op, double threshold, double value, bool met) =>
        Assert.Equal(met, new GateCondition(op, threshold).IsMetBy(value));
}
