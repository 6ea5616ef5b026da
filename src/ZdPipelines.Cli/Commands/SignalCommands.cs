using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Cli.Platforms;
using ZdPipelines.Core.Engine;

namespace ZdPipelines.Cli.Commands;

/// <summary>
/// `zdp promote` and `zdp abort`: they do not act on the platform themselves. They write a request into the
/// journal, and the zdp that runs the deployment acts on it at its next check.
/// </summary>
internal static class SignalCommands
{
    /// <summary>`zdp promote`: ends the pause a running deployment waits at.</summary>
    public static Command Promote(GlobalOptions options, CliEnvironment environment) => Create(options, environment, new Signal(
        "promote",
        "Let a running deployment continue past its current pause (pause: {} waits for this).",
        (engine, ct) => engine.RequestPromoteAsync(ct),
        "start one with `zdp deploy`.",
        journal => journal.Status == DeploymentStatus.Paused
            ? $"asked deployment {journal.DeploymentId} to promote: the zdp running it ends its pause at its next check (every few seconds)."
            : $"asked deployment {journal.DeploymentId} to promote: it is not paused now ({TextFormat.Words(journal.Status)}), so its next pause ends at once."));

    /// <summary>`zdp abort`: asks the running deployment to roll back; the zdp that runs it restores the starting state.</summary>
    public static Command Abort(GlobalOptions options, CliEnvironment environment) => Create(options, environment, new Signal(
        "abort",
        "Ask a running deployment to roll back to where it started.",
        (engine, ct) => engine.RequestAbortAsync(ct),
        "to undo a finished blue-green deployment use `zdp rollback`.",
        journal => $"asked deployment {journal.DeploymentId} to abort: the zdp running it rolls back at its next check (every few seconds). " +
            "If that zdp is no longer running, run `zdp rollback` to restore the starting state."));

    private static Command Create(GlobalOptions options, CliEnvironment environment, Signal signal)
    {
        var command = new Command(signal.Name, signal.Description);
        CommandAction.Set(command, options, environment, (context, ct) => RunAsync(context, signal, ct));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, Signal signal, CancellationToken cancellationToken)
    {
        var output = context.Output;
        if (await SpecFile.ReadAsync(context.SpecPath, output, cancellationToken) is not { } file)
        {
            return ExitCodes.InvalidInput;
        }

        // The journal is all a signal needs: on the local platform this must not start a second proxy.
        await using var handle = await PlatformFactory.OpenAsync(file.Spec, context.Time, output, PlatformUse.Journal, cancellationToken);
        var engine = EngineSetup.Create(handle.Platform, null, context.Time);
        if (await signal.Send(engine, cancellationToken) is not { } journal)
        {
            output.Problem($"there is no running deployment of {file.Spec.Name} on {handle.Platform.Target}: nothing to {signal.Name}. Fix: check `zdp status`; {signal.FixWhenNone}");
            return ExitCodes.InvalidInput;
        }

        if (output.IsJson)
        {
            output.Json(new { @event = signal.Name + "Requested", deploymentId = journal.DeploymentId, status = journal.Status }, CliJson.Lines);
        }
        else
        {
            output.Line(signal.Said(journal));
        }

        return ExitCodes.Success;
    }

    private sealed record Signal(
        string Name,
        string Description,
        Func<DeploymentEngine, CancellationToken, Task<Journal?>> Send,
        string FixWhenNone,
        Func<Journal, string> Said);
}
