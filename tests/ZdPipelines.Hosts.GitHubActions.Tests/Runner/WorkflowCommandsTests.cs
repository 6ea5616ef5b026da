using ZdPipelines.Hosts.GitHubActions.Runner;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Runner;

public sealed class WorkflowCommandsTests
{
    [Fact]
    public void Data_escapes_percent_first_then_carriage_return_and_line_feed()
    {
        Assert.Equal("50%25 done%0D%0Anext: a,b", WorkflowCommands.EscapeData("50% done\r\nnext: a,b"));
    }

    [Fact]
    public void Property_values_also_escape_colon_and_comma()
    {
        Assert.Equal("C%3A\\x%2Cy%25%0A", WorkflowCommands.EscapeProperty("C:\\x,y%\n"));
    }

    [Fact]
    public void An_error_annotation_carries_title_file_line_and_column()
    {
        var (log, text) = Log();

        log.Error("setWeight: 150 is out of range.\nFix: 0-100", new AnnotationLocation("deploy/zdp.yml", 7, 20, "zdp: invalid spec"));

        Assert.Equal("::error title=zdp%3A invalid spec,file=deploy/zdp.yml,line=7,col=20::setWeight: 150 is out of range.%0AFix: 0-100\n", text.ToString());
    }

    [Fact]
    public void Warning_notice_debug_and_mask_are_one_line_each()
    {
        var (log, text) = Log();

        log.Warning("gate inconclusive");
        log.Notice("promoted");
        log.Debug("poll 3");
        log.AddMask("s3cr%t");

        Assert.Equal("::warning::gate inconclusive\n::notice::promoted\n::debug::poll 3\n::add-mask::s3cr%25t\n", text.ToString());
    }

    [Fact]
    public void A_new_group_closes_the_open_one_since_the_runner_does_not_nest_groups()
    {
        var (log, text) = Log();

        log.Group("step 1/2: set weight to 10 %");
        log.Group("step 2/2: switch");
        log.EndGroup();
        log.EndGroup();

        Assert.Equal("::group::step 1/2: set weight to 10 %25\n::endgroup::\n::group::step 2/2: switch\n::endgroup::\n", text.ToString());
    }

    private static (WorkflowLog, StringWriter) Log()
    {
        var text = new StringWriter { NewLine = "\n" };
        return (new WorkflowLog(text), text);
    }
}
