namespace ZdPipelines.Hosts.AzureDevOps.Inputs;

/// <summary>The zdp command the task runs (task.json input <c>command</c>).</summary>
internal enum ZdpCommand
{
    Deploy,
    Plan,
    Promote,
    Abort,
    Rollback,
    Status,
}

/// <summary>Which service connection the task signs in with (task.json input <c>cloud</c>).</summary>
internal enum CloudConnection
{
    None,
    Aws,
    Azure,
}

/// <summary>How zdp writes its log (task.json input <c>output</c>).</summary>
internal enum LogFormat
{
    Plain,
    Json,
}

/// <summary>Every input of task.json, read and checked. <see cref="Read"/> reports all problems at once.</summary>
/// <param name="SpecPath">Absolute: a relative <c>spec</c> is taken from System.DefaultWorkingDirectory, where the agent starts the task.</param>
/// <param name="AzureConnectionId">The AzureRM service connection's id when <see cref="Cloud"/> is Azure; the agent puts the id, not the name, in the input.</param>
/// <param name="AwsConnectionId">The AWS service connection's id, or null for the agent's own AWS credentials.</param>
internal sealed record ZdpTaskInputs(
    ZdpCommand Command,
    string SpecPath,
    CloudConnection Cloud,
    string? AzureConnectionId,
    string? AwsConnectionId,
    string? AwsRegion,
    IReadOnlyDictionary<string, string> SpecVariables,
    LogFormat Output)
{
    // The names in task.json. A test checks that this list and task.json's inputs are the same.
    public const string CommandInput = "command";
    public const string SpecInput = "spec";
    public const string CloudInput = "cloud";
    public const string AzureSubscriptionInput = "azureSubscription";
    public const string AwsCredentialsInput = "awsCredentials";
    public const string AwsRegionInput = "awsRegion";
    public const string VariablesInput = Inputs.SpecVariables.InputName;
    public const string OutputInput = "output";

    public static readonly IReadOnlyList<string> InputNames =
        [CommandInput, SpecInput, CloudInput, AzureSubscriptionInput, AwsCredentialsInput, AwsRegionInput, VariablesInput, OutputInput];

    private static readonly Dictionary<string, ZdpCommand> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["deploy"] = ZdpCommand.Deploy,
        ["plan"] = ZdpCommand.Plan,
        ["promote"] = ZdpCommand.Promote,
        ["abort"] = ZdpCommand.Abort,
        ["rollback"] = ZdpCommand.Rollback,
        ["status"] = ZdpCommand.Status,
    };

    private static readonly Dictionary<string, CloudConnection> Clouds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = CloudConnection.None,
        ["aws"] = CloudConnection.Aws,
        ["azure"] = CloudConnection.Azure,
    };

    private static readonly Dictionary<string, LogFormat> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["plain"] = LogFormat.Plain,
        ["json"] = LogFormat.Json,
    };

    /// <summary>
    /// Reads the inputs. Throws <see cref="TaskInputProblems"/> with one problem per bad input, so a pipeline author
    /// fixes them all in one go.
    /// </summary>
    public static ZdpTaskInputs Read(TaskEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var inputs = new TaskInputs(environment);
        var problems = new List<TaskInputException>();
        T Check<T>(Func<T> read, T fallback)
        {
            try
            {
                return read();
            }
            catch (TaskInputException problem)
            {
                problems.Add(problem);
                return fallback;
            }
        }

        var command = Check(() => inputs.Choice(CommandInput, Commands, ZdpCommand.Deploy), ZdpCommand.Deploy);
        var spec = Check(() => ResolveSpec(inputs.Optional(SpecInput) ?? "zdp.yml", environment), "");
        var cloud = Check(() => inputs.Choice(CloudInput, Clouds, CloudConnection.None), CloudConnection.None);
        var azure = cloud == CloudConnection.Azure
            ? Check(() => inputs.Required(AzureSubscriptionInput, "choose an Azure Resource Manager service connection, or set cloud to none or aws."), null)
            : null;
        var aws = cloud == CloudConnection.Aws ? inputs.Optional(AwsCredentialsInput) : null;
        var region = cloud == CloudConnection.Aws ? inputs.Optional(AwsRegionInput) : null;
        var variables = Check(() => Inputs.SpecVariables.Parse(inputs.Optional(VariablesInput)), new Dictionary<string, string>());
        var output = Check(() => inputs.Choice(OutputInput, Formats, LogFormat.Plain), LogFormat.Plain);

        return problems.Count > 0
            ? throw new TaskInputProblems(problems)
            : new ZdpTaskInputs(command, spec, cloud, azure, aws, region, variables, output);
    }

    private static string ResolveSpec(string spec, TaskEnvironment environment)
    {
        var root = environment.Get("SYSTEM_DEFAULTWORKINGDIRECTORY") ?? Directory.GetCurrentDirectory();
        var path = Path.GetFullPath(spec, root);
        if (Directory.Exists(path))
        {
            // An empty filePath input arrives as the repository root itself (the agent fills it in), so this is
            // what "spec not set" looks like once it gets here.
            throw new TaskInputException(SpecInput, $"input '{SpecInput}' is the directory {path}; name the zdp.yml file in it, e.g. deploy/zdp.yml.");
        }

        return File.Exists(path)
            ? path
            : throw new TaskInputException(SpecInput,
                $"input '{SpecInput}': there is no file {path}; give the path of your zdp.yml relative to the repository root ({root}), and check that the job checked the repository out.");
    }
}

/// <summary>One or more task inputs the task cannot use; each problem names its input.</summary>
internal sealed class TaskInputProblems : Exception
{
    public TaskInputProblems()
    {
        Problems = [];
    }

    public TaskInputProblems(string message)
        : base(message)
    {
        Problems = [];
    }

    public TaskInputProblems(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public TaskInputProblems(IReadOnlyList<TaskInputException> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.Message)))
    {
        Problems = problems;
    }

    public IReadOnlyList<TaskInputException> Problems { get; }
}
