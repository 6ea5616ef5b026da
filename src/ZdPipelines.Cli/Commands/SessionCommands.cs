using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Hosting.Session;

namespace ZdPipelines.Cli.Commands;

/// <summary>
/// The commands that run a <see cref="DeploymentSession"/>: each is a name, a help line and a session command;
/// the session does the work and the CLI's observer renders it.
/// </summary>
internal static class SessionCommands
{
    public static Command Deploy(GlobalOptions options, CliEnvironment environment) => Create(options, environment, SessionCommandKind.Deploy, "deploy",
        "Deploy as the spec says; rolls back on a failed gate, a timeout, an abort or Ctrl+C.");

    public static Command Plan(GlobalOptions options, CliEnvironment environment) => Create(options, environment, SessionCommandKind.Plan, "plan",
        "Show the steps, rollback path and minimum duration of a deployment; changes nothing.");

    public static Command Status(GlobalOptions options, CliEnvironment environment) => Create(options, environment, SessionCommandKind.Status, "status",
        "Show the current or last deployment (step, status, reason, lease) and the platform's traffic and targets.");

    public static Command Promote(GlobalOptions options, CliEnvironment environment) => Create(options, environment, SessionCommandKind.Promote, "promote",
        "Let a running deployment continue past its current pause (pause: {} waits for this).");

    public static Command Abort(GlobalOptions options, CliEnvironment environment) => Create(options, environment, SessionCommandKind.Abort, "abort",
        "Ask a running deployment to roll back to where it started.");

    public static Command Resume(GlobalOptions options, CliEnvironment environment)
    {
        var takeOver = TakeOverOption();
        var command = Create(options, environment, SessionCommandKind.Resume, "resume",
            "Continue an unfinished deployment (its zdp died) from the step it reached, or finish its rollback.",
            (parse, session) => session with { TakeOver = parse.GetValue(takeOver) });
        command.Options.Add(takeOver);
        return command;
    }

    public static Command Rollback(GlobalOptions options, CliEnvironment environment)
    {
        var reason = new Option<string>("--reason")
        {
            Description = "Why, recorded in the journal and shown by `zdp status`.",
            DefaultValueFactory = _ => SessionDefaults.RollbackReason,
        };
        var takeOver = TakeOverOption();
        var command = Create(options, environment, SessionCommandKind.Rollback, "rollback",
            "Restore the state the last deployment started from (an unfinished one, or a blue-green one while its previous side is kept).",
            (parse, session) => session with { Reason = parse.GetValue(reason) ?? SessionDefaults.RollbackReason, TakeOver = parse.GetValue(takeOver) });
        command.Options.Add(reason);
        command.Options.Add(takeOver);
        return command;
    }

    /// <summary>
    /// Confirms that the run holding the lease is dead, so its lease is taken at once. A holder on this machine whose
    /// process is gone is taken over without it; from another machine zdp cannot tell dead from slow.
    /// </summary>
    private static Option<bool> TakeOverOption() => new("--take-over")
    {
        Description = "The run that holds the lease is dead (you checked): take its lease now instead of waiting for it to lapse.",
    };

    private static Command Create(GlobalOptions options, CliEnvironment environment, SessionCommandKind kind, string name, string description,
        Func<ParseResult, SessionCommand, SessionCommand>? configure = null)
    {
        var command = new Command(name, description);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var host = environment.NewHost();
            var output = environment.OutputFor(parse, options, host.Secrets);
            var session = new SessionCommand(kind, parse.GetValue(options.File) ?? Hosting.Specs.SpecFileDefaults.FileName);
            var observer = new CliObserver(output, environment.Time);
            var outcome = await new DeploymentSession(host, [observer]).RunAsync(configure?.Invoke(parse, session) ?? session, cancellationToken);
            return outcome.ExitCode;
        });
        return command;
    }
}
