using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Schema;
using ZdPipelines.Core.Spec.Validation;

namespace ZdPipelines.Platforms.Simulated;

/// <summary>platform.type: simulated — an in-memory load balancer for trying specs, tests and benchmarks.</summary>
public sealed class SimulatedPlatformModule : IPlatformModule
{
    public const string PlatformType = "simulated";

    /// <summary>Printed when the platform is opened: nothing outlives the command, which surprises users of status and promote.</summary>
    public const string MemoryNote =
        "note: platform 'simulated' keeps its state in the memory of this zdp process only: its deployment, lease and journal " +
        "vanish when the command ends, so `zdp status`, `promote`, `abort`, `resume` and `rollback` run as separate commands find nothing.";

    private static readonly IReadOnlyList<string> Keys =
        ["stableTargets", "candidateTargets", "healthCheckInterval", "healthyThreshold", "deregistrationDelay", "candidateErrorRate"];

    public string Type => PlatformType;

    public string Description => "the simulated platform";

    public string Example => "simulated: { stableTargets: 3, candidateTargets: 3 }";

    public string Schema { get; } = SpecSchema.ReadResource(typeof(SimulatedPlatformModule), "simulated.schema.json");

    public IReadOnlyList<IGateSourceModule> GateSources => [];

    /// <summary>The keys of the block, for the schema test.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["platform.simulated"] = Keys };

    public PlatformOptions? Bind(SpecMapping platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var block = platform.Mapping(Type, Keys, Example);
        if (block is null)
        {
            return null;
        }

        var defaults = new SimulatedPlatformOptions();
        return defaults with
        {
            StableTargets = block.WholeNumber("stableTargets", SimulatedLimits.StableTargets) ?? defaults.StableTargets,
            CandidateTargets = block.WholeNumber("candidateTargets", SimulatedLimits.CandidateTargets) ?? defaults.CandidateTargets,
            HealthCheckInterval = block.Duration("healthCheckInterval") ?? defaults.HealthCheckInterval,
            HealthyThreshold = block.WholeNumber("healthyThreshold", SimulatedLimits.HealthyThreshold) ?? defaults.HealthyThreshold,
            DeregistrationDelay = block.Duration("deregistrationDelay", allowZero: true) ?? defaults.DeregistrationDelay,
            CandidateErrorRate = block.Number("candidateErrorRate", 0, 1) ?? defaults.CandidateErrorRate,
        };
    }

    public void Validate(PlatformOptions options, DeploymentSpec spec, SpecProblems problems)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(problems);
        var simulated = (SimulatedPlatformOptions)options;
        const string Path = "platform.simulated";
        problems.CheckRange($"{Path}.stableTargets", simulated.StableTargets, SimulatedLimits.StableTargets);
        var candidatesOk = problems.CheckRange($"{Path}.candidateTargets", simulated.CandidateTargets, SimulatedLimits.CandidateTargets);
        problems.CheckPositive($"{Path}.healthCheckInterval", simulated.HealthCheckInterval);
        problems.CheckRange($"{Path}.healthyThreshold", simulated.HealthyThreshold, SimulatedLimits.HealthyThreshold);
        problems.CheckRange($"{Path}.candidateErrorRate", simulated.CandidateErrorRate, 0, 1);

        // Blue-green and canary move traffic to a candidate, so the platform must have one.
        var kind = spec.Strategy.Kind;
        if (candidatesOk && !problems.IsUnreadable($"{Path}.candidateTargets") && kind is StrategyKinds.Canary or StrategyKinds.BlueGreen
            && simulated.CandidateTargets == 0)
        {
            problems.Add($"{Path}.candidateTargets", $"the {kind} strategy needs candidate targets, but candidateTargets is 0.",
                "set candidateTargets to 1 or more, or use the rolling strategy, which updates stable targets in place.");
        }
    }

    public Task<OpenedPlatform> OpenAsync(PlatformOpening opening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opening);
        var options = opening.Spec.Platform.OptionsAs<SimulatedPlatformOptions>();
        return Task.FromResult(new OpenedPlatform(new SimulatedPlatform(options, opening.Time), [MemoryNote]));
    }
}
