using ZdPipelines.Hosts.AzureDevOps;

// zdp-task: started by the task's Node launcher (azure-devops/ZdpTask/launcher.js) with the agent's environment and
// no arguments. The launcher reports the task result from the exit code.
using var cancellation = TaskCancellation.Register(Console.Error);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
try
{
    var context = new TaskContext(TaskEnvironment.FromProcess(), Console.Out, http, TimeProvider.System, Environment.SetEnvironmentVariable, cancellation.Interrupt);
    return await new TaskRunner(context).RunAsync(cancellation.Token);
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    // The edge: one line the agent shows as an error, never a stack trace. The type says where to look.
    Console.Out.WriteLine(ZdPipelines.Hosts.AzureDevOps.Logging.LoggingCommandFormat.Format(
        "task.logissue", [new("type", "error")], $"zdp-task failed ({e.GetType().Name}); report it with this message."));
    return 3;
}
