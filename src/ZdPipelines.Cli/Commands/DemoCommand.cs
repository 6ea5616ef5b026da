using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Hosting;
using ZdPipelines.Hosting.Hooks;
using ZdPipelines.Platforms.Local.Demo;

namespace ZdPipelines.Cli.Commands;

/// <summary>
/// `zdp demo [blue-green|rolling|canary] [--faulty] [--listen 127.0.0.1:PORT]`: a whole deployment on
/// the embedded platform with real HTTP traffic and no cloud account. Without --faulty it promotes
/// with no failed client request; with --faulty it rolls back, names the gate, and exits 1.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var strategy = new Argument<string>("strategy")
        {
            Description = "blue-green, rolling or canary",
            DefaultValueFactory = _ => "canary",
        };
        strategy.AcceptOnlyFromAmong([.. DemoDefaults.Strategies]);
        var faulty = new Option<bool>("--faulty") { Description = $"v2 fails {DemoDefaults.FaultRate:P0} of its requests: watch the gates catch it and roll back" };
        var listen = new Option<string>("--listen") { Description = "host:port for the proxy (default: a free port on 127.0.0.1)", DefaultValueFactory = _ => DemoDefaults.Listen };
        var command = new Command("demo", "Run a deployment on the embedded local platform: sample apps v1 and v2, a YARP proxy, synthetic clients, gates.")
        {
            strategy,
            faulty,
            listen,
        };
        CommandAction.Set(command, options, environment, (context, cancellationToken) =>
            RunAsync(context, new DemoOptions
            {
                Strategy = context.Parse.GetValue(strategy)!,
                Faulty = context.Parse.GetValue(faulty),
                Listen = context.Parse.GetValue(listen)!,
            }, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, DemoOptions demo, CancellationToken cancellationToken)
    {
        var output = context.Output;
        var renderer = EventRenderers.For(output, context.Time);
        var say = (string text) =>
        {
            if (!output.IsJson)
            {
                output.Line(text);
            }
        };
        say($"zdp demo: {demo.Strategy}{(demo.Faulty ? ", v2 faulty" : "")}");
        // The proxy runs in this process, so the demo's http gates probe it like any other URL.
        var report = await DemoRunner.RunAsync(
            demo,
            ZdpModules.All,
            new ProcessHookRunner(renderer.Output),
            say,
            renderer.Render,
            cancellationToken);

        var exitCode = ExitCodes.For(report.Result.Outcome);
        ResultWriter.Write(output, report.Result, report.Plan.Steps.Count, exitCode);
        if (output.IsJson)
        {
            output.Json(new
            {
                @event = "traffic",
                proxy = report.ProxyAddress,
                sent = report.Traffic.Sent,
                failed = report.Traffic.Failed,
                byVersion = report.Traffic.ByVersion,
                spec = report.SpecPath,
            }, CliJson.Lines);
        }
        else
        {
            var versions = string.Join(", ", report.Traffic.ByVersion.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));
            output.Line($"client requests: {report.Traffic.Sent} sent, {report.Traffic.Failed} failed ({versions})");
            foreach (var failure in report.Traffic.FirstFailures.Take(3))
            {
                output.Line($"  e.g. {failure}");
            }

            output.Line($"spec: {report.SpecPath}");
        }

        return exitCode;
    }
}
