using ZdPipelines.Hosts.AzureDevOps.Logging;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Logging;

public sealed class LoggingCommandFormatTests
{
    [Theory]
    [InlineData(";", "%3B")]
    [InlineData("\r", "%0D")]
    [InlineData("\n", "%0A")]
    [InlineData("]", "%5D")]
    [InlineData("%", "%AZP25")]
    [InlineData("%3B", "%AZP253B")]
    [InlineData("plain text = fine", "plain text = fine")]
    public void Each_character_the_agent_unescapes_is_escaped(string value, string escaped)
    {
        Assert.Equal(escaped, LoggingCommandFormat.Escape(value));
    }

    [Fact]
    public void Escaping_round_trips_through_the_agents_unescaping()
    {
        const string Value = "50% of a;b]\r\nc %0A";
        var line = LoggingCommandFormat.Format("task.logissue", [new("type", Value)], Value);
        var parsed = Support.LoggedCommand.TryParse(line)!;
        Assert.Equal(Value, parsed.Properties["type"]);
        Assert.Equal(Value, parsed.Data);
    }

    [Fact]
    public void Properties_without_a_value_are_left_out()
    {
        Assert.Equal("##vso[task.logissue type=error;code=x;]m", LoggingCommandFormat.Format("task.logissue", [new("type", "error"), new("sourcepath", null), new("code", "x")], "m"));
        Assert.Equal("##vso[task.setsecret]s", LoggingCommandFormat.Format("task.setsecret", [], "s"));
    }
}
