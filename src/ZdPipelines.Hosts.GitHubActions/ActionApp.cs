using System.Globalization;
using System.Threading.Channels;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Hosts.GitHubActions.Deployments;
using ZdPipelines.Hosts.GitHubActions.Inputs;
using ZdPipelines.Hosting.IdTokens;
using ZdPipelines.Hosts.GitHubActions.Oidc;
using ZdPipelines.Hosts.GitHubActions.Runner;
using ZdPipelines.Hosts.GitHubActions.Session;
using ZdPipelines.Hosting.Summary;

namespace ZdPipelines.Hosts.GitHubActions;

/// <summary>What one run of the Action needs from outside: the runner's variables, the log, the session, HTTP and the clock.</summary>
internal sealed record ActionContext(
    RunnerEnvironment Environment,
    WorkflowLog Log,
    IDeploymentSession Session,
    HttpClient Http,
    TimeProvider Time);

/// <summary>
/// The Action from start to exit code: inputs, masks, spec placeholders, the GitHub deployment and its statuses, the
/// session, the log, the outputs and the job summary.
/// </summary>
internal static class ActionApp
{
    /// <summary>Exit codes beyond zdp's own (ExitCodes in the CLI): 2 is zdp's "invalid input", which bad inputs are too.</summary>
    public const int InvalidInput = 2;

    /// <summary>
    /// How long the final Deployments status may take. After a cancel the runner kills the process 10 s after SIGINT,
    /// so the status gets what is left of that, at most this.
    /// </summary>
    public static readonly TimeSpan FinalStatusBudget = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(ActionContext context, Func<DateTimeOffset?> firstSignalAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (environment, log) = (context.Environment, context.Log);
        var masker = new SecretMasker(log);
        // Before anything else is printed: the token input and the runner's own tokens.
        var reader = new InputReader(environment.Variables);
        masker.Register(reader.Optional("github-token"));
        masker.Register(environment.IdTokenRequestToken);
        masker.Register(environment.Get("ACTIONS_RUNTIME_TOKEN"));

        var inputs = ActionInputs.Read(reader);
        var outputs = environment.OutputPath is { } outputPath ? new FileCommandWriter(outputPath) : null;
        if (reader.Problems.Count > 0)
        {
            foreach (var problem in reader.Problems)
            {
                log.Error(problem.ToString(), new AnnotationLocation(Title: $"zdp: input {problem.Input}"));
            }

            WriteOutputs(outputs, "invalid", InvalidInput, null, null, $"{reader.Problems.Count} bad input(s); nothing was changed");
            return InvalidInput;
        }

        var spec = PreparedSpec.Prepare(inputs, masker, log);
        try
        {
            if (spec.Problem is { } problem)
            {
                WriteOutputs(outputs, "invalid", InvalidInput, null, null, problem);
                WriteSummary(environment, inputs, JobSummaryRenderer.RenderOutput(new SummaryHeader(inputs.Command, null, InvalidInput, Note: problem), "", new JobSummaryOptions()));
                return InvalidInput;
            }

            // One source for the run: aws-role-arn and a spec's githubOidc share its tokens, each masked as it arrives.
            using var tokens = new GitHubIdTokenSource(context.Http, environment.IdTokenRequestUrl, environment.IdTokenRequestToken, masker.Shared, context.Time);
            if (inputs.Aws is { } aws)
            {
                await AwsWebIdentity.ConfigureAsync(aws, tokens, spec.TempDirectory, cancellationToken);
            }

            var reporter = CreateReporter(context, inputs, log);
            var timeline = new DeploymentTimeline();
            var pump = new ObserverPump(new WorkflowEventLog(log), timeline, reporter, log);
            var pumping = pump.RunAsync(cancellationToken);
            SessionResult result;
            try
            {
                var idTokens = environment.IdTokenRequestUrl is null || environment.IdTokenRequestToken is null ? null : tokens;
                var request = new SessionRequest(inputs.Command, spec.Path, masker.Shared, idTokens)
                {
                    Owner = environment.RunLabel is { } run ? $"GitHub Actions {run}" : null,
                };
                result = await context.Session.RunAsync(request, pump, cancellationToken);
            }
            finally
            {
                pump.Complete();
                await pumping;
            }

            ReportSpecErrors(result.SpecErrors, spec, log);
            foreach (var refusal in result.Refusals)
            {
                log.Error(refusal, new AnnotationLocation(Title: "zdp: refused"));
            }

            foreach (var failure in result.Problems)
            {
                log.Error(failure, new AnnotationLocation(Title: $"zdp {inputs.Command}"));
            }

            if (reporter is not null && pump.Started)
            {
                using var budget = FinalStatusToken(context.Time, firstSignalAt());
                await reporter.FinishAsync(result.Outcome ?? DeploymentOutcome.Failed, result.Reason, budget.Token);
            }

            var outcome = OutcomeName(inputs.Command, result);
            var summaryLine = SummaryLine(inputs.Command, result, outcome);
            WriteOutputs(outputs, outcome, result.ExitCode, reporter?.DeploymentId, result.DeploymentId, masker.Shared.Mask(masker.Apply(summaryLine)));
            if (inputs.Summary)
            {
                var header = new SummaryHeader(inputs.Command, result.Service, result.ExitCode,
                    Outcome: result.Outcome is null ? outcome : null,
                    Note: result.Outcome == DeploymentOutcome.Cancelled || (firstSignalAt() is not null && result.ExitCode != 0)
                        ? "The run was cancelled. zdp moved traffic back first; anything the runner's 10 s window cut short is in the journal: run the Action with `command: rollback` (or the same deploy again) to finish it."
                        : SpecNote(result));
                var markdown = timeline.Started is not null || result.Outcome is not null
                    ? JobSummaryRenderer.Render(timeline, header, new JobSummaryOptions())
                    : JobSummaryRenderer.RenderOutput(header, masker.Apply(result.Output), new JobSummaryOptions());
                // The runner masks its log, not the summary file.
                WriteSummary(environment, inputs, masker.Shared.Mask(masker.Apply(markdown)));
            }

            return result.ExitCode;
        }
        finally
        {
            spec.Dispose();
        }
    }

    private static DeploymentReporter? CreateReporter(ActionContext context, ActionInputs inputs, WorkflowLog log)
    {
        if (inputs.Command != "deploy" || inputs.Environment is not { } environmentName)
        {
            return null;
        }

        var environment = context.Environment;
        if (inputs.GitHubToken is not { } token || environment.Repository is not { } repository || (environment.Sha ?? environment.Ref) is not { } gitRef)
        {
            log.Warning("environment is set, but the github-token input, GITHUB_REPOSITORY or GITHUB_SHA is missing, so GitHub will not show this deployment. " +
                "Fix: keep github-token's default (the job's token) and run inside GitHub Actions.", new AnnotationLocation(Title: "zdp: Deployments API"));
            return null;
        }

        var client = new GitHubDeploymentsClient(context.Http, environment.ApiUrl, repository, token);
        return new DeploymentReporter(client, new DeploymentTarget(environmentName, gitRef, inputs.EnvironmentUrl, environment.RunUrl, inputs.Spec), log);
    }

    private static CancellationTokenSource FinalStatusToken(TimeProvider time, DateTimeOffset? firstSignalAt)
    {
        var budget = FinalStatusBudget;
        if (firstSignalAt is { } at)
        {
            // 10 s from SIGINT to the kill; keep half a second for the outputs and the summary.
            var left = at + TimeSpan.FromSeconds(9.5) - time.GetUtcNow();
            budget = left < budget ? (left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) : budget;
        }

        return new CancellationTokenSource(budget, time);
    }

    private static void ReportSpecErrors(IReadOnlyList<SpecError> errors, PreparedSpec spec, WorkflowLog log)
    {
        foreach (var error in errors)
        {
            var file = spec.DisplayPath(error.File);
            var where = error.Path.Length == 0 ? "" : $"{error.Path}: ";
            log.Error($"{where}{error.Message}{(error.Fix.Length == 0 ? "" : $" Fix: {error.Fix}")}",
                new AnnotationLocation(file, error.Line, error.Column, $"zdp: invalid spec {file}"));
        }
    }

    private static string? SpecNote(SessionResult result) =>
        result.SpecErrors.Count > 0 ? $"{result.SpecErrors.Count} problem(s) with the spec, shown as annotations on the file; nothing was changed."
        : result.Refusals.Count > 0 ? $"refused: {string.Join("; ", result.Refusals)}"
        : result.Problems.Count > 0 ? string.Join("; ", result.Problems)
        : null;

    /// <summary>The <c>outcome</c> output: the deployment's outcome for deploy and rollback, else succeeded or failed.</summary>
    public static string OutcomeName(string command, SessionResult result) => result switch
    {
        { SpecErrors.Count: > 0 } => "invalid",
        { Outcome: { } outcome } => outcome switch
        {
            DeploymentOutcome.Promoted => command == "rollback" ? "rolled-back" : "promoted",
            DeploymentOutcome.RolledBack => "rolled-back",
            DeploymentOutcome.Cancelled => "cancelled",
            DeploymentOutcome.Refused => "refused",
            _ => "failed",
        },
        { ExitCode: 0 } => "succeeded",
        { ExitCode: 5 } => "refused",
        { ExitCode: InvalidInput } => "invalid",
        _ => "failed",
    };

    private static string SummaryLine(string command, SessionResult result, string outcome)
    {
        var what = result.Service is { } service ? $"zdp {command} of {service}" : $"zdp {command}";
        return result.Reason is { } reason && outcome != "promoted"
            ? $"{what}: {outcome} (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}): {reason}"
            : $"{what}: {outcome} (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)})";
    }

    private static void WriteOutputs(FileCommandWriter? outputs, string outcome, int exitCode, long? gitHubDeploymentId, string? zdpDeploymentId, string summary)
    {
        if (outputs is null)
        {
            return;
        }

        outputs.Append("outcome", outcome);
        outputs.Append("exit-code", exitCode.ToString(CultureInfo.InvariantCulture));
        outputs.Append("deployment-id", gitHubDeploymentId?.ToString(CultureInfo.InvariantCulture) ?? "");
        outputs.Append("zdp-deployment-id", zdpDeploymentId is null or "-" ? "" : zdpDeploymentId);
        outputs.Append("summary", summary);
    }

    private static void WriteSummary(RunnerEnvironment environment, ActionInputs inputs, string markdown)
    {
        if (!inputs.Summary || environment.StepSummaryPath is not { } path)
        {
            return;
        }

        // The step's own file (step_summary_<guid>); anything already in it counts against the same 1 MiB.
        var existing = File.Exists(path) ? new FileInfo(path).Length : 0;
        var room = (int)Math.Max(0, JobSummaryOptions.GitHubMaxBytes - existing);
        File.AppendAllText(path, MarkdownBudget.Fit(markdown, room), new System.Text.UTF8Encoding(false));
    }

    /// <summary>
    /// Hands the session's callbacks to the log, the timeline and the Deployments reporter on one consumer, in order:
    /// the engine never waits on GitHub's API, and the reporter's calls stay in event order.
    /// </summary>
    private sealed class ObserverPump(WorkflowEventLog eventLog, DeploymentTimeline timeline, DeploymentReporter? reporter, WorkflowLog log) : ISessionObserver
    {
        private readonly Channel<(Func<CancellationToken, Task> Work, bool Essential)> _work =
            Channel.CreateUnbounded<(Func<CancellationToken, Task>, bool)>(new UnboundedChannelOptions { SingleReader = true });

        /// <summary>The GitHub deployment was started (the plan arrived), so a final status is owed.</summary>
        public bool Started { get; private set; }

        public void OnPlan(string service, DeploymentPlan plan)
        {
            timeline.UsePlan(plan);
            log.Line($"plan: {plan.Strategy} of {service}, {plan.Steps.Count} steps, at least {Durations.Format(plan.PredictedMinimum)}; rollback path {plan.Rollback.Count} steps");
            if (reporter is not null)
            {
                Started = true;
                // Essential: a cancel must not leave GitHub without the deployment whose final status follows.
                Enqueue(ct => reporter.StartAsync(service, ct), essential: true);
            }
        }

        public void OnEvent(DeploymentEvent deploymentEvent)
        {
            eventLog.Observe(deploymentEvent);
            timeline.Observe(deploymentEvent);
            if (reporter is not null)
            {
                Enqueue(ct => reporter.ObserveAsync(deploymentEvent, ct));
            }
        }

        public void OnOutput(string source, string line) => eventLog.Output(source, line);

        public void OnText(string line) => log.Line(line);

        public void Complete() => _work.Writer.TryComplete();

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            await foreach (var (work, essential) in _work.Reader.ReadAllAsync(CancellationToken.None))
            {
                // Once cancelled, in-progress statuses are skipped: the final one matters, and it has its own budget.
                if (essential)
                {
                    using var budget = new CancellationTokenSource(FinalStatusBudget);
                    await work(budget.Token);
                }
                else if (!cancellationToken.IsCancellationRequested)
                {
                    try
                    {
                        await work(cancellationToken);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        // Cancelled mid-call: the final status follows.
                    }
                }
            }
        }

        private void Enqueue(Func<CancellationToken, Task> work, bool essential = false) => _work.Writer.TryWrite((work, essential));
    }
}
