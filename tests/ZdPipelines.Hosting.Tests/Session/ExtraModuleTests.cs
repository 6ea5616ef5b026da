using ZdPipelines.Core.Gates;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;
using ZdPipelines.Hosting.Session;

namespace ZdPipelines.Hosting.Tests.Session;

/// <summary>
/// Adding a platform is one module plus one registration line: this test's module, defined below and registered
/// only here, is read, validated, described in the schema and planned by the session without any other change.
/// </summary>
public sealed class ExtraModuleTests : IDisposable
{
    private const string Spec = """
        name: shop-api
        platform:
          type: twoRooms
          twoRooms: { doors: 2 }
        strategy:
          blueGreen: { bake: 0s }
        """;

    private static readonly ModuleCatalog Modules = new([new TwoRoomsModule()], [MetricsGateSourceModule.Instance]);

    private readonly string _directory = Directory.CreateTempSubdirectory("zdp-extra-module-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_registered_module_is_read_validated_and_planned_by_the_session()
    {
        var observer = new Recorder();
        var outcome = await new DeploymentSession(new HostOptions { Modules = Modules }, [observer]).RunAsync(new SessionCommand(SessionCommandKind.Plan, Write(Spec)), CancellationToken.None);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var plan = Assert.Single(observer.Plans);
        Assert.Equal("twoRooms://hall", plan.Platform.Target);
        Assert.Equal([new WaitHealthy(Side.Candidate, [], 2), new SwitchTraffic(Side.Candidate), new RetainPrevious(BlueGreenDefaults.KeepPreviousFor)], plan.Plan.Steps);
    }

    [Fact]
    public void The_module_s_own_rules_and_keys_are_reported_with_their_line()
    {
        var result = SpecReader.Read(Spec.Replace("{ doors: 2 }", "{ doors: 0, windows: 1 }", StringComparison.Ordinal), "zdp.yml", Modules);

        Assert.Equal(["platform.twoRooms.doors", "platform.twoRooms.windows"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.All(result.Errors, e => Assert.Equal(4, e.Line));
    }

    [Fact]
    public void The_schema_describes_the_module_s_block()
    {
        var schema = SpecSchema.Assemble(Modules);

        Assert.Contains("\"twoRooms\": {", schema, StringComparison.Ordinal);
        Assert.Contains("Doors between the rooms.", schema, StringComparison.Ordinal);
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, "zdp.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private sealed class Recorder : ISessionObserver
    {
        public List<PlanReport> Plans { get; } = [];

        public void OnPlanned(PlanReport plan) => Plans.Add(plan);
    }

    /// <summary>A platform of two rooms and some doors: blue-green moves everyone through the doors at once.</summary>
    private sealed class TwoRoomsModule : IPlatformModule
    {
        private static readonly SpecRange Doors = new(1, 9);

        public string Type => "twoRooms";

        public string Description => "the two-rooms platform";

        public string Example => "twoRooms: { doors: 2 }";

        public string Schema => """
            { "$defs": { "twoRooms": { "type": "object", "description": "Two rooms.", "additionalProperties": false,
              "properties": { "doors": { "type": "integer", "description": "Doors between the rooms." } } } } }
            """;

        public IReadOnlyList<IGateSourceModule> GateSources => [];

        public PlatformOptions? Bind(SpecMapping platform) =>
            platform.Mapping(Type, ["doors"], Example) is { } block ? new Rooms(block.WholeNumber("doors", Doors) ?? 1) : null;

        public void Validate(PlatformOptions options, DeploymentSpec spec, SpecProblems problems) =>
            problems.CheckRange("platform.twoRooms.doors", ((Rooms)options).Doors, Doors);

        public Task<OpenedPlatform> OpenAsync(PlatformOpening opening, CancellationToken cancellationToken) =>
            Task.FromResult(new OpenedPlatform(new Hall(opening.Spec.Platform.OptionsAs<Rooms>().Doors)));
    }

    private sealed record Rooms(int Doors) : PlatformOptions;

    private sealed class Hall(int doors) : IPlatform, ITrafficSwitch
    {
        private Side _active = Side.Stable;

        public string Kind => "twoRooms";

        public string Target => "twoRooms://hall";

        public Task<PlatformSnapshot> ObserveAsync(CancellationToken cancellationToken) => Task.FromResult(new PlatformSnapshot
        {
            ActiveSide = _active,
            Targets = [.. Enumerable.Range(1, doors).SelectMany(i => new[] { new TargetStatus($"blue-{i}", Side.Stable, true, TargetHealth.Healthy), new TargetStatus($"green-{i}", Side.Candidate, true, TargetHealth.Healthy) })],
        });

        public Task SwitchAsync(Side to, CancellationToken cancellationToken)
        {
            _active = to;
            return Task.CompletedTask;
        }
    }
}
