using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Gates.Command;
using CommandSpec = ZdPipelines.Gates.Command.CommandGateOptions;

namespace ZdPipelines.Gates.Tests.Command;

public sealed class CommandGateSourceTests
{
    [Fact]
    public async Task With_measure_stdout_the_printed_number_is_the_value()
    {
        var m = await MeasureAsync(new CommandSpec { Run = "echo 0.3", Measure = CommandMeasure.Stdout });

        Assert.Equal(0.3, m.Value);
        Assert.Equal(1, m.Samples);
    }

    [Fact]
    public async Task With_measure_exit_code_the_exit_code_is_the_value()
    {
        var m = await MeasureAsync(new CommandSpec { Run = "exit 3" });

        Assert.Equal(3, m.Value);
        Assert.Contains("exited with code 3", m.Detail);
    }

    [Fact]
    public async Task Stdout_that_is_not_a_number_is_no_data_with_the_text_quoted()
    {
        var m = await MeasureAsync(new CommandSpec { Run = "echo all good", Measure = CommandMeasure.Stdout });

        Assert.Null(m.Value);
        Assert.Contains("'all good'", m.Detail);
    }

    [Fact]
    public async Task Log_lines_before_the_number_on_the_last_line_are_ignored()
    {
        var m = await MeasureAsync(new CommandSpec { Run = "echo querying; echo 0.02", Measure = CommandMeasure.Stdout });

        Assert.Equal(0.02, m.Value);
    }

    [Fact]
    public async Task The_command_learns_the_deployment_and_side_from_the_environment()
    {
        var m = await MeasureAsync(new CommandSpec
        {
            Run = "test \"$ZDP_SIDE\" = candidate && test \"$ZDP_DEPLOYMENT_ID\" = shop-1 && test \"$ZDP_ADDRESS\" = http://lb && test \"$ZDP_PREVIEW_ADDRESS\" = http://preview",
        });

        Assert.Equal(0, m.Value);
    }

    [Fact]
    public async Task A_command_past_its_timeout_is_killed_and_reads_as_no_data()
    {
        var started = DateTime.UtcNow;

        var m = await MeasureAsync(new CommandSpec { Run = "sleep 30", Timeout = TimeSpan.FromMilliseconds(200) });

        Assert.Null(m.Value);
        Assert.Contains("did not finish within its timeout", m.Detail);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    private static Task<Measurement> MeasureAsync(CommandSpec command)
    {
        var gate = new GateSpec { Name = "check", Source = command, Condition = new GateCondition(ComparisonOperator.Equal, 0) };
        var context = new GateContext(Side.Candidate, "http://lb", "http://preview", "shop-1");
        return new CommandGateSource(TimeProvider.System).MeasureAsync(gate, context, CancellationToken.None);
    }
}
