using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Hosting.Session;

namespace ZdPipelines.Cli.Output;

/// <summary>What a session shows on the terminal or in a CI log: the same writers for every command, in the chosen mode.</summary>
internal sealed class CliObserver(CommandOutput output, TimeProvider time) : ISessionObserver
{
    private readonly IEventRenderer _events = EventRenderers.For(output, time);

    public void OnSpecRejected(string path, IReadOnlyList<SpecError> errors)
    {
        if (output.IsJson)
        {
            output.Json(new { @event = "invalidSpec", errors }, CliJson.Lines);
        }

        foreach (var error in errors)
        {
            output.Problem(error.ToString());
        }

        output.Problem(errors.Count == 1 ? "1 problem with the spec; nothing was changed." : $"{errors.Count} problems with the spec; nothing was changed.");
    }

    public void OnPlatformOpened(DeploymentSpec spec, IPlatform platform, IReadOnlyList<string> notes)
    {
        foreach (var note in notes)
        {
            output.Problem(note);
        }
    }

    public void OnPlanned(PlanReport plan)
    {
        if (plan.Full)
        {
            PlanWriter.Full(output, plan);
        }
        else
        {
            PlanWriter.Brief(output, plan);
        }
    }

    public void OnPlanRefused(string service, IReadOnlyList<string> problems) => PlanWriter.Refusal(output, service, problems);

    public void OnEvent(DeploymentEvent deploymentEvent) => _events.Render(deploymentEvent);

    public void OnHookOutput(string source, string line) => _events.Output(source, line);

    public void OnStatus(StatusReport status) => StatusWriter.Write(output, status);

    public void OnSignalled(SignalReport signal)
    {
        var journal = signal.Journal;
        var name = signal.Signal == SessionCommandKind.Promote ? "promote" : "abort";
        if (output.IsJson)
        {
            output.Json(new { @event = name + "Requested", deploymentId = journal.DeploymentId, status = journal.Status }, CliJson.Lines);
        }
        else if (signal.Signal == SessionCommandKind.Promote)
        {
            output.Line(journal.Status == DeploymentStatus.Paused
                ? $"asked deployment {journal.DeploymentId} to promote: the zdp running it ends its pause at its next check (every few seconds)."
                : $"asked deployment {journal.DeploymentId} to promote: it is not paused now ({TextFormat.Words(journal.Status)}), so its next pause ends at once.");
        }
        else
        {
            output.Line($"asked deployment {journal.DeploymentId} to abort: the zdp running it rolls back at its next check (every few seconds). " +
                "If that zdp is no longer running, run `zdp rollback` to restore the starting state.");
        }
    }

    public void OnProblem(string message) => output.Problem(message);

    public void OnNotice(string message)
    {
        if (output.IsJson)
        {
            output.Json(new { @event = "notice", message }, CliJson.Lines);
        }
        else
        {
            output.Line(message);
        }
    }

    public void OnFinished(SessionOutcome outcome)
    {
        if (outcome.Result is { } result)
        {
            ResultWriter.Write(output, result, outcome.TotalSteps, outcome.ExitCode);
        }
    }
}
