using System.Text;
using System.Text.Json;
using ZdPipelines.Cli;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Hosts.GitHubActions.Session;

/// <summary>
/// Interim <see cref="IDeploymentSession"/>: runs the zdp command line in this process (<see cref="ZdpApp.RunAsync"/>)
/// with <c>--output json</c> and turns its JSON Lines back into the engine's events. Same engine, same exit codes,
/// same cancellation token. It goes when ZdPipelines.Hosting can run a session directly.
/// </summary>
internal sealed class CliSession(TextWriter stderr) : IDeploymentSession
{
    /// <summary>Commands whose progress is the engine's event stream; the others print a document or a line.</summary>
    private static readonly HashSet<string> EventCommands = new(StringComparer.Ordinal) { "deploy", "rollback", "resume" };

    public async Task<SessionResult> RunAsync(SessionRequest request, ISessionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var events = EventCommands.Contains(request.Command);
        List<string> args = [request.Command, "-f", request.SpecPath, "--output", events ? "json" : "plain"];
        if (request.Command == "rollback" && request.Reason is { } reason)
        {
            args.AddRange(["--reason", reason]);
        }

        var reader = new CliJsonReader(observer);
        using var stdout = events ? new LineWriter(reader.Read) : new LineWriter(reader.Plain);
        var exitCode = await ZdpApp.RunAsync([.. args], stdout, stderr, cancellationToken);
        stdout.Flush();
        return reader.Result(exitCode);
    }

    /// <summary>Turns each JSON line into a call on the observer, and remembers what the result needs.</summary>
    private sealed class CliJsonReader(ISessionObserver observer)
    {
        private readonly StringBuilder _plain = new();
        private readonly List<SpecError> _specErrors = [];
        private readonly List<string> _refusals = [];
        private DeploymentOutcome? _outcome;
        private string? _reason;
        private string? _deploymentId;
        private string? _service;

        public SessionResult Result(int exitCode) => new()
        {
            ExitCode = exitCode,
            Outcome = _outcome,
            Reason = _reason,
            DeploymentId = _deploymentId,
            Service = _service,
            SpecErrors = _specErrors,
            Refusals = _refusals,
            Output = _plain.ToString(),
        };

        public void Plain(string line)
        {
            _plain.Append(line).Append('\n');
            observer.OnText(line);
        }

        public void Read(string line)
        {
            if (line.Length == 0)
            {
                return;
            }

            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                // Not an event (nothing else should be on stdout in json mode): shown as it is rather than lost.
                observer.OnText(line);
                return;
            }

            using var _ = json;
            var root = json.RootElement;
            switch (root.TryGetProperty("event", out var kind) ? kind.GetString() : null)
            {
                case "invalidSpec":
                    _specErrors.AddRange(root.GetProperty("errors").EnumerateArray()
                        .Select(e => e.Deserialize(CliEventJson.Default.SpecError)!));
                    break;
                case "plan":
                    var plan = root.GetProperty("plan");
                    _service = plan.GetProperty("service").GetString();
                    observer.OnPlan(_service ?? "", new DeploymentPlan(
                        plan.GetProperty("strategy").GetString() ?? "",
                        Steps(plan.GetProperty("steps")),
                        Steps(plan.GetProperty("rollback")),
                        plan.GetProperty("predictedMinimum").Deserialize(CliEventJson.Default.TimeSpan),
                        [.. plan.GetProperty("notes").EnumerateArray().Select(n => n.GetString() ?? "")]));
                    break;
                case "refused":
                    _service = root.GetProperty("service").GetString();
                    _refusals.AddRange(root.GetProperty("problems").EnumerateArray().Select(p => p.GetString() ?? ""));
                    break;
                case "output":
                    observer.OnOutput(root.GetProperty("source").GetString() ?? "", root.GetProperty("line").GetString() ?? "");
                    break;
                case "result":
                    _deploymentId = root.GetProperty("deploymentId").GetString();
                    _outcome = Enum.Parse<DeploymentOutcome>(root.GetProperty("outcome").GetString() ?? "", ignoreCase: true);
                    _reason = root.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
                    break;
                default:
                    if (root.Deserialize(CliEventJson.Default.DeploymentEvent) is { } deploymentEvent)
                    {
                        observer.OnEvent(deploymentEvent);
                    }

                    break;
            }
        }

        private static List<PlanStep> Steps(JsonElement steps) =>
            [.. steps.EnumerateArray().Select(s => s.GetProperty("step").Deserialize(CliEventJson.Default.PlanStep)!)];
    }

    /// <summary>A TextWriter that hands over whole lines; the CLI writes each JSON object as one line.</summary>
    private sealed class LineWriter(Action<string> onLine) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    var line = _line.ToString().TrimEnd('\r');
                    _line.Clear();
                    onLine(line);
                }
                else
                {
                    _line.Append(value);
                }
            }
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? "")
            {
                Write(c);
            }
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write('\n');
        }

        public override void Flush()
        {
            lock (_line)
            {
                if (_line.Length > 0)
                {
                    var line = _line.ToString();
                    _line.Clear();
                    onLine(line);
                }
            }
        }
    }
}
