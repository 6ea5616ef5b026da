using ZdPipelines.Cli;
using ZdPipelines.Hosting.Signals;

using var signals = TerminationSignals.Register(Console.Error);
return await ZdpApp.RunAsync(args, Console.Out, Console.Error, signals.Token, signals.Interrupt);
