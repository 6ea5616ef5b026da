using System.Text;
using ZdPipelines.Cli;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec;
using ZdPipelines.Hosting;
using ZdPipelines.Hosting.Output;
using ZdPipelines.Hosting.Session;

namespace ZdPipelines.Hosts.GitHubActions.Session;

/// <summary>
/// <see cref="IDeploymentSession"/> on the hosting layer: the same <see cref="DeploymentSession"/>, modules
/// (<see cref="ZdpModules.All"/>), engine and exit codes as the zdp command line, with the job's ID tokens and the
/// run's secret masker. Plan, status, promote and abort are shown as the CLI prints them (<see cref="ZdpApp.PlainTextObserver"/>).
/// A cancelled rollback gets the runner's window (<see cref="EngineDefaults.CiCancelRollbackBudget"/>), and
/// <paramref name="interrupt"/> (the runner's SIGTERM) stops it once traffic is back.
/// </summary>
internal sealed class HostingSession(TimeProvider time, EngineOptions? engine = null, CancellationToken interrupt = default) : IDeploymentSession
{
    public async Task<SessionResult> RunAsync(SessionRequest request, ISessionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var kind = Kind(request.Command);
        var host = new HostOptions
        {
            Modules = ZdpModules.All,
            Time = time,
            Secrets = request.Secrets,
            IdTokens = request.IdTokens,
            Engine = engine ?? new EngineOptions { CancelRollbackBudget = EngineDefaults.CiCancelRollbackBudget },
            Interrupt = interrupt,
            Owner = request.Owner ?? $"{Environment.MachineName}/{Environment.ProcessId}",
        };
        var adapter = new Adapter(observer);
        List<Hosting.Session.ISessionObserver> observers = [adapter];
        using var text = new LineWriter(adapter.Text);
        if (kind is not (SessionCommandKind.Deploy or SessionCommandKind.Resume or SessionCommandKind.Rollback))
        {
            // Problems are collected by the adapter; the text observer's stderr would repeat them.
            observers.Add(ZdpApp.PlainTextObserver(text, TextWriter.Null, request.Secrets, time));
        }

        var command = new SessionCommand(kind, request.SpecPath) { Reason = request.Reason };
        var outcome = await new DeploymentSession(host, observers).RunAsync(command, cancellationToken);
        text.Flush();
        return adapter.Result(outcome);
    }

    private static SessionCommandKind Kind(string command) => command switch
    {
        "deploy" => SessionCommandKind.Deploy,
        "plan" => SessionCommandKind.Plan,
        "status" => SessionCommandKind.Status,
        "promote" => SessionCommandKind.Promote,
        "abort" => SessionCommandKind.Abort,
        "resume" => SessionCommandKind.Resume,
        "rollback" => SessionCommandKind.Rollback,
        _ => throw new ArgumentException($"unknown command '{command}'", nameof(command)),
    };

    /// <summary>The hosting layer's callbacks, handed to the Action's observer one at a time, and what the result needs.</summary>
    private sealed class Adapter(ISessionObserver observer) : Hosting.Session.ISessionObserver
    {
        private readonly Lock _sync = new();
        private readonly StringBuilder _plain = new();
        private readonly List<SpecError> _specErrors = [];
        private readonly List<string> _refusals = [];
        private readonly List<string> _problems = [];
        private string? _service;

        public SessionResult Result(SessionOutcome outcome)
        {
            lock (_sync)
            {
                return new SessionResult
                {
                    ExitCode = outcome.ExitCode,
                    Outcome = outcome.Result?.Outcome,
                    Reason = outcome.Result?.Reason ?? outcome.Message,
                    DeploymentId = outcome.DeploymentId,
                    Service = _service,
                    SpecErrors = [.. _specErrors],
                    Refusals = [.. _refusals],
                    Problems = [.. _problems],
                    Output = _plain.ToString(),
                };
            }
        }

        public void Text(string line)
        {
            lock (_sync)
            {
                _plain.Append(line).Append('\n');
                observer.OnText(line);
            }
        }

        public void OnSpecRejected(string path, IReadOnlyList<SpecError> errors)
        {
            lock (_sync)
            {
                _specErrors.AddRange(errors);
            }
        }

        public void OnPlatformOpened(DeploymentSpec spec, Core.Platforms.IPlatform platform, IReadOnlyList<string> notes)
        {
            lock (_sync)
            {
                _service = spec.Name;
                foreach (var note in notes)
                {
                    observer.OnText($"note: {note}");
                }
            }
        }

        public void OnPlanned(PlanReport plan)
        {
            if (!plan.Full)
            {
                lock (_sync)
                {
                    observer.OnPlan(plan.Spec.Name, plan.Plan);
                }
            }
        }

        public void OnPlanRefused(string service, IReadOnlyList<string> problems)
        {
            lock (_sync)
            {
                _service = service;
                _refusals.AddRange(problems);
            }
        }

        public void OnEvent(DeploymentEvent deploymentEvent)
        {
            lock (_sync)
            {
                observer.OnEvent(deploymentEvent);
            }
        }

        public void OnHookOutput(string source, string line)
        {
            lock (_sync)
            {
                observer.OnOutput(source, line);
            }
        }

        public void OnProblem(string message)
        {
            lock (_sync)
            {
                _problems.Add(message.StartsWith("zdp: ", StringComparison.Ordinal) ? message["zdp: ".Length..] : message);
            }
        }

        public void OnNotice(string message)
        {
            lock (_sync)
            {
                observer.OnText(message);
            }
        }
    }
}
