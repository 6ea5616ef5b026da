using System.Text;
using ZdPipelines.Cli;
using ZdPipelines.Core.Engine;
using ZdPipelines.Hosting;
using ZdPipelines.Hosting.Output;
using ZdPipelines.Hosting.Session;
using ZdPipelines.Hosting.Summary;
using ZdPipelines.Hosts.AzureDevOps.Inputs;
using ZdPipelines.Hosts.AzureDevOps.Logging;
using ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

namespace ZdPipelines.Hosts.AzureDevOps;

/// <summary>What one run of the task needs from outside: the agent's variables, the log, HTTP, the clock and the process environment.</summary>
/// <param name="SetProcessVariable">Sets (null: removes) a variable of this process's environment, which the platforms' SDK default chains read.</param>
/// <param name="Interrupt">The agent's second signal (<see cref="TaskCancellation.Interrupt"/>): a rollback stops once traffic is back.</param>
internal sealed record TaskContext(
    TaskEnvironment Environment,
    TextWriter Stdout,
    HttpClient Http,
    TimeProvider Time,
    Action<string, string?> SetProcessVariable,
    CancellationToken Interrupt = default)
{
    /// <summary>The engine's options; a CI cancel budget unless a test sets its own.</summary>
    public EngineOptions Engine { get; init; } = new() { CancelRollbackBudget = EngineDefaults.CiCancelRollbackBudget };
}

/// <summary>
/// zdp-task from start to exit code, on the hosting layer (<see cref="DeploymentSession"/>, the same modules, engine and
/// exit codes as the zdp command line): inputs, secrets registered with <c>task.setsecret</c> before anything could
/// print them, the service connection turned into credentials, <c>vars</c> filled into the spec, the session with the
/// agent's logging commands around the CLI's own output, the <c>outcome</c> and <c>deploymentId</c> output variables,
/// and the Markdown summary attached with <c>task.uploadsummary</c>. The launcher reports the task's result
/// (<c>task.complete</c>) and the <c>exitCode</c> output variable from the exit code.
/// </summary>
internal sealed class TaskRunner(TaskContext context)
{
    /// <summary>Azure DevOps names no size limit for an uploaded summary; GitHub's 1 MiB keeps the page readable.</summary>
    public static readonly JobSummaryOptions SummaryOptions = new() { Charts = ChartSyntax.None };

    private readonly TextWriter _stdout = TextWriter.Synchronized(context.Stdout);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        var commands = new LoggingCommandWriter(_stdout);
        var masker = new SecretMasker(commands);
        // Before anything else is printed: the job's own access token, which every ID token request carries.
        masker.Register(ServiceEndpoint.Find(environment, ServiceEndpoint.SystemVssConnection)?.AuthParameter("AccessToken"));

        ZdpTaskInputs inputs;
        try
        {
            inputs = ZdpTaskInputs.Read(environment);
        }
        catch (TaskInputProblems problems)
        {
            foreach (var problem in problems.Problems)
            {
                commands.LogIssue(IssueType.Error, problem.Message);
            }

            return Finish(commands, ExitCodes.InvalidInput, null);
        }

        var privateDirectory = CreatePrivateDirectory(environment);
        try
        {
            CloudCredentials credentials;
            try
            {
                credentials = await CloudCredentials.ApplyAsync(inputs, environment, context.Http, masker, privateDirectory, context.Time, context.SetProcessVariable, commands, cancellationToken);
            }
            catch (ServiceConnectionException e)
            {
                commands.LogIssue(IssueType.Error, masker.Apply(e.Message));
                return Finish(commands, ExitCodes.InvalidInput, null);
            }

            await using (credentials)
            {
                return await RunSessionAsync(inputs, commands, masker, credentials, privateDirectory, cancellationToken);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(privateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // The agent empties its temp directory after the job.
            }
        }
    }

    private async Task<int> RunSessionAsync(ZdpTaskInputs inputs, LoggingCommandWriter commands, SecretMasker masker, CloudCredentials credentials, string privateDirectory, CancellationToken cancellationToken)
    {
        var command = Name(inputs.Command);
        var spec = TaskSpec.Prepare(inputs.SpecPath, inputs.SpecVariables, privateDirectory);
        if (spec.Missing.Count > 0)
        {
            foreach (var missing in spec.Missing)
            {
                commands.LogIssue(IssueType.Error,
                    $"placeholder ${{{missing.Name}}} has no value. Fix: add a line {missing.Name}=<value> to the vars input, or write $${{{missing.Name}}} for a literal ${{{missing.Name}}}.",
                    new SourceLocation(spec.OriginalPath, missing.Line, missing.Column), "zdp-spec");
            }

            var names = string.Join(", ", spec.Missing.Select(m => "${" + m.Name + "}").Distinct(StringComparer.Ordinal));
            var note = $"{spec.OriginalPath}: no value for {names} in the vars input; nothing was changed.";
            commands.Line(note);
            WriteSummary(commands, masker, JobSummaryRenderer.RenderOutput(new SummaryHeader(command, null, ExitCodes.InvalidInput, Note: note), "", SummaryOptions));
            return Finish(commands, ExitCodes.InvalidInput, null);
        }

        if (spec.VarsUnused)
        {
            commands.LogIssue(IssueType.Warning, $"the vars input sets {string.Join(", ", inputs.SpecVariables.Keys)}, but {spec.OriginalPath} has no ${{NAME}} placeholder to fill.");
        }

        var output = new StringBuilder();
        using var cliText = new LineWriter(line =>
        {
            _stdout.WriteLine(line);
            lock (output)
            {
                output.Append(line).Append('\n');
            }
        });
        var cli = inputs.Output == LogFormat.Json
            ? ZdpApp.JsonLinesObserver(cliText, TextWriter.Null, masker.Shared, context.Time)
            : ZdpApp.PlainTextObserver(cliText, TextWriter.Null, masker.Shared, context.Time);
        var log = new AgentLogObserver(cli, commands, masker.Apply, spec.DisplayPath);
        var host = new HostOptions
        {
            Modules = ZdpModules.All,
            Time = context.Time,
            Secrets = masker.Shared,
            IdTokens = credentials.IdTokens,
            Engine = context.Engine,
            Interrupt = context.Interrupt,
            Owner = Owner(context.Environment),
        };
        var outcome = await new DeploymentSession(host, [log]).RunAsync(new SessionCommand(Kind(inputs.Command), spec.Path), cancellationToken);
        cliText.Flush();

        var cancelled = cancellationToken.IsCancellationRequested && outcome.ExitCode != ExitCodes.Success;
        var header = new SummaryHeader(command, log.Service, outcome.ExitCode,
            Outcome: outcome.Result is null ? OutcomeName(outcome.ExitCode) : null,
            Note: cancelled
                ? "The run was cancelled. zdp moved traffic back first; anything the agent's 10 s window cut short is in the journal: run the task with `command: rollback` (or the same deploy again) to finish it."
                : log.SpecErrors > 0 ? $"{log.SpecErrors} problem(s) with the spec, shown as issues on {spec.OriginalPath}; nothing was changed."
                : outcome.Result is null ? outcome.Message : null);
        string captured;
        lock (output)
        {
            captured = output.ToString();
        }

        var markdown = log.Timeline.Started is not null || outcome.Result is not null
            ? JobSummaryRenderer.Render(log.Timeline, header, SummaryOptions)
            : JobSummaryRenderer.RenderOutput(header, captured, SummaryOptions);
        WriteSummary(commands, masker, markdown);
        return Finish(commands, outcome.ExitCode, log.DeploymentId);
    }

    /// <summary>zdp's exit-code names, which the task's <c>outcome</c> output variable carries (task.json).</summary>
    public static string OutcomeName(int exitCode) => exitCode switch
    {
        ExitCodes.Success => "success",
        ExitCodes.RolledBack => "rolledBack",
        ExitCodes.InvalidInput => "invalidInput",
        ExitCodes.PlatformError => "platformError",
        ExitCodes.Cancelled => "cancelled",
        ExitCodes.Refused => "refused",
        _ => "platformError",
    };

    private static int Finish(LoggingCommandWriter commands, int exitCode, string? deploymentId)
    {
        commands.SetOutputVariable("outcome", OutcomeName(exitCode));
        commands.SetOutputVariable("deploymentId", deploymentId ?? "");
        return exitCode;
    }

    /// <summary>
    /// The summary goes to Agent.TempDirectory (emptied by the agent after the job, and read by it when it uploads the
    /// attachment, which happens after this command line), in a folder of its own so two zdp steps never share a file.
    /// </summary>
    private void WriteSummary(LoggingCommandWriter commands, SecretMasker masker, string markdown)
    {
        var root = context.Environment.Get("AGENT_TEMPDIRECTORY") ?? context.Environment.Get("SYSTEM_DEFAULTWORKINGDIRECTORY") ?? Directory.GetCurrentDirectory();
        try
        {
            var directory = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(root), $"zdp-summary-{Guid.NewGuid():N}"));
            var file = Path.Combine(directory.FullName, "zdp.md");
            File.WriteAllText(file, MarkdownBudget.Fit(masker.Apply(markdown), SummaryOptions.MaxBytes), new UTF8Encoding(false));
            commands.UploadSummary(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            commands.LogIssue(IssueType.Warning, $"the run's summary could not be written under {root} ({e.GetType().Name}); the log above has every event.");
        }
    }

    private static string CreatePrivateDirectory(TaskEnvironment environment)
    {
        var root = environment.Get("AGENT_TEMPDIRECTORY") ?? Path.GetTempPath();
        var path = Path.Combine(Path.GetFullPath(root), $"zdp-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Token files and the filled-in spec: readable by this user only.
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>"Azure Pipelines shop/42": written into the lease, so a refused deployment says which run holds the target.</summary>
    private static string Owner(TaskEnvironment environment) =>
        environment.Get("BUILD_BUILDID") is { } build
            ? $"Azure Pipelines {environment.Get("SYSTEM_TEAMPROJECT") ?? "project"}/{environment.Get("BUILD_DEFINITIONNAME") ?? "pipeline"} run {build}"
            : $"{Environment.MachineName}/{Environment.ProcessId}";

    private static string Name(ZdpCommand command) => command.ToString().ToLowerInvariant();

    private static SessionCommandKind Kind(ZdpCommand command) => command switch
    {
        ZdpCommand.Deploy => SessionCommandKind.Deploy,
        ZdpCommand.Plan => SessionCommandKind.Plan,
        ZdpCommand.Promote => SessionCommandKind.Promote,
        ZdpCommand.Abort => SessionCommandKind.Abort,
        ZdpCommand.Rollback => SessionCommandKind.Rollback,
        _ => SessionCommandKind.Status,
    };
}
