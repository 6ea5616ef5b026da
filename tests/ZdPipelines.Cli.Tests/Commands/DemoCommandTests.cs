using System.Text.RegularExpressions;
using ZdPipelines.Cli.Tests.Support;

namespace ZdPipelines.Cli.Tests.Commands;

/// <summary>
/// `zdp demo` end to end: real sample upstreams, the real YARP proxy, real client traffic. Healthy
/// demos must promote with zero failed client requests.
/// </summary>
public sealed class DemoCommandPromotesTests
{
    [Theory]
    [InlineData("canary")]
    [InlineData("blue-green")]
    [InlineData("rolling")]
    public async Task A_healthy_demo_promotes_with_zero_failed_client_requests(string strategy)
    {
        var result = await Zdp.RunAsync("demo", strategy, "--output", "plain");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("outcome: promoted", result.Stdout);
        var (sent, failed) = DemoOutput.Requests(result);
        Assert.True(sent > 100, $"only {sent} client requests were sent\n{result}");
        Assert.True(failed == 0, $"{failed} client requests failed\n{result}");
        Assert.Matches(@"proxy listening on http://127\.0\.0\.1:\d+", result.Stdout);
    }
}

/// <summary>With --faulty, v2 fails 30 % of requests: a gate must catch it, roll back and exit 1.</summary>
public sealed class DemoCommandRollsBackTests
{
    [Theory]
    [InlineData("canary", "error-rate")]
    [InlineData("blue-green", "smoke")]
    [InlineData("rolling", "error-rate")]
    public async Task A_faulty_demo_rolls_back_exits_1_and_names_the_failed_gate_and_its_value(string strategy, string gate)
    {
        var result = await Zdp.RunAsync("demo", strategy, "--faulty", "--output", "plain");

        Assert.True(result.ExitCode == ExitCodes.RolledBack, result.ToString());
        Assert.Contains("outcome: rolled back", result.Stdout);
        Assert.Matches($@"reason: step \d+ \(gate '{gate}' on candidate\): gate '{gate}' failed", result.Stdout);
        Assert.Matches($@"{gate}: failed, value 0\.\d+, threshold", result.Stdout);
        if (strategy == "blue-green")
        {
            // The preview gate fails before the switch: no user request ever reached v2.
            Assert.Equal(0, DemoOutput.Requests(result).Failed);
        }
    }
}

internal static partial class DemoOutput
{
    public static (long Sent, long Failed) Requests(ZdpOutput result)
    {
        var m = RequestsLine().Match(result.Stdout);
        Assert.True(m.Success, result.ToString());
        return (long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"client requests: (\d+) sent, (\d+) failed")]
    private static partial Regex RequestsLine();
}
