using ZdPipelines.Hosts.AzureDevOps;

// zdp-task: started by the task's Node launcher (azure-devops/ZdpTask/launcher.js) with the agent's environment and
// no arguments. The launcher reports the task result from the exit code.
using var cancellation = TaskCancellation.Register(Console.Error);
using var http = new HttpClient();
return await new CliTaskRunner(TaskEnvironment.FromProcess(), Console.Out, Console.Error, http).RunAsync(cancellation.Token);
