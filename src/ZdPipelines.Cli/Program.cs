using ZdPipelines.Cli;
using ZdPipelines.Cli.Signals;

using var signals = TerminationSignals.Register(Console.Error);
return await ZdpApp.RunAsync(args, Console.Out, Console.Error, signals.Token);
