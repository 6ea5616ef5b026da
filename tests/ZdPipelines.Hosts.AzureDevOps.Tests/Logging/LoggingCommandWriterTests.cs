using ZdPipelines.Hosts.AzureDevOps.Logging;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Logging;

public sealed class LoggingCommandWriterTests : IDisposable
{
    private readonly StringWriter _log = new();

    public void Dispose() => _log.Dispose();

    private LoggingCommandWriter Writer => new(_log);

    private string Line => _log.ToString().TrimEnd('\n', '\r');

    [Fact]
    public void A_group_is_one_line_even_when_its_title_has_line_breaks()
    {
        Writer.BeginGroup("step 2/8: set candidate weight\nto 10 %");
        Writer.EndGroup();
        Assert.Equal(["##[group]step 2/8: set candidate weight to 10 %", "##[endgroup]"], _log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void An_issue_carries_the_file_line_column_and_code()
    {
        Writer.LogIssue(IssueType.Error, "strategy.canary.steps[2]: setWeight must be 1-100.", new SourceLocation("/s/zdp.yml", 14, 9), "zdp-spec");
        Assert.Equal("##vso[task.logissue type=error;sourcepath=/s/zdp.yml;linenumber=14;columnnumber=9;code=zdp-spec;]strategy.canary.steps[2%5D: setWeight must be 1-100.", Line);
    }

    [Fact]
    public void A_warning_without_a_location_has_only_its_type()
    {
        Writer.LogIssue(IssueType.Warning, "careful");
        Assert.Equal("##vso[task.logissue type=warning;]careful", Line);
    }

    [Fact]
    public void An_output_variable_is_marked_as_output_and_secret_only_when_asked()
    {
        Writer.SetOutputVariable("deploymentId", "shop-20261201-ab12");
        Writer.SetOutputVariable("token", "t;1", isSecret: true);
        Assert.Equal(
            ["##vso[task.setvariable variable=deploymentId;isoutput=true;]shop-20261201-ab12", "##vso[task.setvariable variable=token;isoutput=true;issecret=true;]t%3B1"],
            _log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Progress_is_clamped_to_a_percentage()
    {
        Writer.SetProgress(140, "promoting");
        Assert.Equal("##vso[task.setprogress value=100;]promoting", Line);
    }

    [Fact]
    public void A_secret_is_masked_from_then_on_and_an_empty_one_is_not_sent()
    {
        Writer.SetSecret("");
        Writer.SetSecret("s3cr;t");
        Assert.Equal("##vso[task.setsecret]s3cr%3Bt", Line);
    }

    [Fact]
    public void A_summary_is_uploaded_by_absolute_path_only()
    {
        var path = Path.Combine(Path.GetTempPath(), "zdp-summary.md");
        Writer.UploadSummary(path);
        Assert.Equal($"##vso[task.uploadsummary]{path}", Line);
        Assert.Throws<ArgumentException>(() => Writer.UploadSummary("summary.md"));
    }

    [Fact]
    public void Complete_names_the_result()
    {
        Writer.Complete(TaskResult.SucceededWithIssues, "promoted; 1 gate was inconclusive");
        Assert.Equal("##vso[task.complete result=SucceededWithIssues;]promoted%3B 1 gate was inconclusive", Line);
    }
}
