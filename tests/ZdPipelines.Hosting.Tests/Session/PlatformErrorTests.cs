using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Validation;
using ZdPipelines.Hosting.Session;

namespace ZdPipelines.Hosting.Tests.Session;

/// <summary>
/// A platform error's kind picks the exit code: a resource the spec names that does not exist is the user's input
/// (2), one not shaped for the strategy a refusal (5), anything else the platform's failure (3). A command that
/// changes things says so when it failed before its first step.
/// </summary>
public sealed class PlatformErrorTests : IDisposable
{
    private static readonly ModuleCatalog Modules = new([new FaultyModule()], [MetricsGateSourceModule.Instance]);

    private readonly string _directory = Directory.CreateTempSubdirectory("zdp-platform-error-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("notFound", ExitCodes.InvalidInput)]
    [InlineData("unsuitable", ExitCodes.Refused)]
    [InlineData("failure", ExitCodes.PlatformError)]
    public async Task The_kind_of_a_platform_error_picks_the_exit_code_and_a_deploy_says_nothing_was_changed(string kind, int exitCode)
    {
        var (outcome, problems) = await RunAsync(SessionCommandKind.Deploy, kind);

        Assert.Equal(exitCode, outcome.ExitCode);
        Assert.Equal($"zdp: the {kind} resource. Fix: the {kind} fix. Nothing was changed.", Assert.Single(problems));
    }

    [Fact]
    public async Task A_command_that_only_reads_does_not_claim_anything_about_changes()
    {
        var (outcome, problems) = await RunAsync(SessionCommandKind.Status, "notFound");

        Assert.Equal(ExitCodes.InvalidInput, outcome.ExitCode);
        Assert.Equal("zdp: the notFound resource. Fix: the notFound fix.", Assert.Single(problems));
    }

    private async Task<(SessionOutcome Outcome, List<string> Problems)> RunAsync(SessionCommandKind command, string kind, bool failOnSwitch = false)
    {
        var path = Path.Combine(_directory, "zdp.yml");
        await File.WriteAllTextAsync(path, $$"""
            name: shop-api
            platform:
              type: faulty
              faulty: { kind: {{kind}}, on: {{(failOnSwitch ? "switch" : "observe")}} }
            strategy:
              blueGreen: { bake: 0s }
            """);
        var recorder = new Recorder();
        var outcome = await new DeploymentSession(new HostOptions { Modules = Modules }, [recorder]).RunAsync(new SessionCommand(command, path), CancellationToken.None);
        return (outcome, recorder.Problems);
    }

    private sealed class Recorder : ISessionObserver
    {
        public List<string> Problems { get; } = [];

        public void OnProblem(string message) => Problems.Add(message);
    }

    /// <summary>A two-sided platform that throws a <see cref="PlatformException"/> of the configured kind on observe or on switch.</summary>
    private sealed class FaultyModule : IPlatformModule
    {
        public string Type => "faulty";

        public string Description => "a platform that fails";

        public string Example => "faulty: { kind: notFound, on: observe }";

        public string Schema => """
            { "$defs": { "faulty": { "type": "object", "additionalProperties": false,
              "properties": { "kind": { "type": "string" }, "on": { "type": "string" } } } } }
            """;

        public IReadOnlyList<IGateSourceModule> GateSources => [];

        public PlatformOptions? Bind(SpecMapping platform) =>
            platform.Mapping(Type, ["kind", "on"], Example) is { } block
                ? new Faults(Enum.Parse<PlatformErrorKind>(block.Text("kind", "name a kind", required: true)!, ignoreCase: true), block.Text("on", "observe or switch") == "switch")
                : null;

        public void Validate(PlatformOptions options, DeploymentSpec spec, SpecProblems problems)
        {
        }

        public Task<OpenedPlatform> OpenAsync(PlatformOpening opening, CancellationToken cancellationToken) =>
            Task.FromResult(new OpenedPlatform(new Faulty(opening.Spec.Platform.OptionsAs<Faults>())));
    }

    private sealed record Faults(PlatformErrorKind Kind, bool OnSwitch) : PlatformOptions;

    private sealed class Faulty(Faults faults) : IPlatform, ITrafficSwitch
    {
        public string Kind => "faulty";

        public string Target => "faulty://one";

        public Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken) => faults.OnSwitch
            ? Task.FromResult(new PlatformSnapshot
            {
                ActiveSide = Side.Stable,
                Targets = [new TargetStatus("blue", Side.Stable, true, TargetHealth.Healthy), new TargetStatus("green", Side.Candidate, true, TargetHealth.Healthy)],
            })
            : throw Error();

        public Task SwitchAsync(Side to, CancellationToken cancellationToken) => throw Error();

        private PlatformException Error()
        {
            var name = faults.Kind switch { PlatformErrorKind.NotFound => "notFound", PlatformErrorKind.Unsuitable => "unsuitable", _ => "failure" };
            return new PlatformException($"the {name} resource. Fix: the {name} fix.", faults.Kind);
        }
    }
}
