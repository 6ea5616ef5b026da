using ZdPipelines.Hosts.GitHubActions;
using ZdPipelines.Hosts.GitHubActions.Runner;
using ZdPipelines.Hosts.GitHubActions.Session;
using ZdPipelines.Hosts.GitHubActions.Signals;

// zdp-action: the container image's entrypoint (action.yml runs: using: docker). PID 1 in the container, so it
// registers its own SIGINT/SIGTERM handlers (Signals/RunnerSignals.cs).
var log = new WorkflowLog(Console.Out);
using var signals = RunnerSignals.Register(log, TimeProvider.System);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
try
{
    var context = new ActionContext(RunnerEnvironment.FromProcess(), log, new HostingSession(TimeProvider.System, interrupt: signals.Interrupt), http, TimeProvider.System);
    return await ActionApp.RunAsync(context, () => signals.FirstSignalAt, signals.Token);
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    // The edge: one message, never a stack trace in the job's annotations. RUNNER_DEBUG shows the rest.
    log.Error($"zdp-action failed: {e.Message}", new AnnotationLocation(Title: "zdp: internal error"));
    log.Debug(e.ToString());
    return 3;
}
