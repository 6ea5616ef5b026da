using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Gates;
using ZdPipelines.Hosting.Session;
using ZdPipelines.Hosts.AzureDevOps.Logging;
using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Logging;

public sealed class AgentLogObserverTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly StringWriter _log = new();

    public void Dispose() => _log.Dispose();

    private AgentLogObserver Observer() => new(new Lines(_log), new LoggingCommandWriter(_log), s => s.Replace("hunter22", "***", StringComparison.Ordinal), f => f);

    [Fact]
    public void An_inconclusive_gate_is_a_warning_issue_and_a_failed_one_an_error()
    {
        var observer = Observer();
        observer.OnEvent(new GateEvaluated(T0, new GateResult("latency", GateVerdict.Inconclusive, null, "< 200", 0, 3, 0, 3, "no data")));
        observer.OnEvent(new GateEvaluated(T0, new GateResult("errors", GateVerdict.Fail, 0.3, "< 0.05", 90, 2, 1, 0, null)));

        var issues = LoggedCommand.Parse(_log.ToString()).Where(c => c.Name == "task.logissue").ToList();
        Assert.Equal([("warning", "zdp-gate"), ("error", "zdp-gate")], issues.Select(i => (i.Properties["type"], i.Properties["code"])));
        Assert.StartsWith("gate 'latency' inconclusive: ", issues[0].Data);
        Assert.StartsWith("gate 'errors' failed: ", issues[1].Data);
    }

    [Fact]
    public void Each_step_is_a_group_around_its_own_lines_and_a_rollback_closes_the_open_one()
    {
        var observer = Observer();
        observer.OnEvent(new StepStarted(T0, 1, 2, "set candidate weight to 10 %", false));
        observer.OnEvent(new StepCompleted(T0, 1, 2, "set candidate weight to 10 %", TimeSpan.FromSeconds(1), false));
        observer.OnEvent(new StepStarted(T0, 2, 2, "gate 'e' on candidate", false));
        observer.OnEvent(new RollbackStarted(T0, "gate 'e' failed with hunter22"));
        observer.OnEvent(new StepStarted(T0, 1, 1, "set candidate weight to 0 %", true));
        observer.OnFinished(new SessionOutcome(SessionCommandKind.Deploy, 1, null, null, null));

        var lines = _log.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith("##vso[task.setprogress", StringComparison.Ordinal) && l.Length > 0).ToList();
        Assert.Equal(
        [
            "##[group]step 1/2: set candidate weight to 10 %", "event StepStarted", "event StepCompleted", "##[endgroup]",
            "##[group]step 2/2: gate 'e' on candidate", "event StepStarted", "##[endgroup]", "event RollbackStarted",
            "##vso[task.logissue type=warning;code=zdp-rollback;]rolling back: gate 'e' failed with ***",
            "##[group]rollback step 1/1: set candidate weight to 0 %", "event StepStarted", "##[endgroup]",
        ], lines);
        var progress = LoggedCommand.Parse(_log.ToString()).Where(c => c.Name == "task.setprogress").Select(c => (c.Properties["value"], c.Data));
        Assert.Equal([("0", "set candidate weight to 10 %"), ("50", "set candidate weight to 10 %"), ("50", "gate 'e' on candidate"), ("0", "rollback: set candidate weight to 0 %")], progress);
    }

    /// <summary>Stands in for the CLI's rendering: one line per event.</summary>
    private sealed class Lines(TextWriter log) : ISessionObserver
    {
        public void OnEvent(DeploymentEvent deploymentEvent) => log.WriteLine($"event {deploymentEvent.GetType().Name}");
    }
}
