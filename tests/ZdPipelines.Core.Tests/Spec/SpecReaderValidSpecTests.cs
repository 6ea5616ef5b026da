using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;
using static ZdPipelines.Core.Tests.Spec.SpecSamples;

namespace ZdPipelines.Core.Tests.Spec;

public sealed class SpecReaderValidSpecTests
{
    private static DeploymentSpec ReadValid(string yaml)
    {
        var result = SpecReader.Read(yaml, "zdp.yml", TestModules.Catalog);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Spec!;
    }

    [Fact]
    public void A_full_canary_spec_reads_into_the_expected_records()
    {
        var spec = ReadValid(Canary);

        Assert.Equal("shop-api", spec.Name);
        Assert.Equal("zdp.yml", spec.SourcePath);

        Assert.Equal("local", spec.Platform.Type);
        Assert.IsNotType<SimulatedPlatformOptions>(spec.Platform.Options);
        var local = spec.Platform.OptionsAs<LocalPlatformOptions>();
        Assert.Equal("127.0.0.1:8080", local.Listen);
        Assert.Equal("v1", local.Stable.Version);
        Assert.Equal(["http://127.0.0.1:5001"], local.Stable.Targets);
        Assert.Equal("v2", local.Candidate!.Version);
        Assert.Equal(["http://127.0.0.1:5003"], local.Candidate.Targets);
        Assert.Equal("/healthz", local.HealthCheck.Path);
        Assert.Equal(TimeSpan.FromSeconds(1), local.HealthCheck.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(800), local.HealthCheck.Timeout);
        Assert.Equal(HealthCheckDefaults.HealthyThreshold, local.HealthCheck.HealthyThreshold);
        Assert.Equal(HealthCheckDefaults.UnhealthyThreshold, local.HealthCheck.UnhealthyThreshold);
        Assert.Equal(TimeSpan.FromSeconds(5), local.DrainTimeout);
        Assert.Equal(LocalPlatformDefaults.StateDirectory, local.StateDirectory);

        Assert.Equal("canary", spec.Strategy.Kind);
        var steps = spec.Strategy.Canary!.Steps;
        Assert.Equal(4, steps.Count);
        Assert.Equal(new CanaryStepSpec { SetWeight = 10, Line = 13 }, steps[0]);
        Assert.Equal(new CanaryStepSpec { Pause = new PauseSpec(TimeSpan.FromSeconds(30)), Line = 14 }, steps[1]);
        Assert.Equal(new CanaryStepSpec { Gate = "error-rate", Line = 15 }, steps[2]);
        Assert.Equal(new CanaryStepSpec { SetWeight = 100, Line = 16 }, steps[3]);

        Assert.Equal(2, spec.Gates.Count);
        var errorRate = spec.FindGate("error-rate")!;
        Assert.Equal("metrics", errorRate.SourceKind);
        Assert.Equal(new MetricsGateOptions { Metric = PlatformMetric.ErrorRate, Side = Side.Candidate, Window = TimeSpan.FromSeconds(30) }, errorRate.SourceAs<MetricsGateOptions>());
        Assert.Equal(new GateCondition(ComparisonOperator.LessThan, 0.05), errorRate.Condition);
        Assert.Equal(TimeSpan.FromSeconds(10), errorRate.Interval);
        Assert.Equal(3, errorRate.Count);
        Assert.Equal(0, errorRate.FailureLimit);
        Assert.Equal(GateDefaults.InconclusiveLimit, errorRate.InconclusiveLimit);
        Assert.Equal(GateDefaults.MinSamples, errorRate.MinSamples);
        Assert.Equal(GateDefaults.NoData, errorRate.NoData);

        var smoke = spec.FindGate("smoke")!;
        Assert.Equal(new HttpGateOptions { Url = "{address}/healthz", Probes = 5, ExpectStatus = 200 }, smoke.SourceAs<HttpGateOptions>());
        Assert.Equal(HttpMeasure.SuccessRate, smoke.SourceAs<HttpGateOptions>()!.Measure);
        Assert.Equal(new GateCondition(ComparisonOperator.GreaterThanOrEqual, 0.99), smoke.Condition);

        Assert.Equal(new HookSpec { Name = "notify", Run = "./notify.sh", Timeout = TimeSpan.FromMinutes(1) }, Assert.Single(spec.Hooks.PostPromote));
        Assert.Empty(spec.Hooks.PreSwitch);
        Assert.Empty(spec.Hooks.Update);
        Assert.Empty(spec.Hooks.PostRollback);

        Assert.Equal(new RollbackSpec { Automatic = true, OnInconclusive = InconclusiveAction.Rollback }, spec.Rollback);
        Assert.Equal(new TimeoutsSpec { Healthy = TimeSpan.FromMinutes(5), Total = TimeSpan.FromHours(1) }, spec.Timeouts);
    }

    [Fact]
    public void A_full_rolling_spec_reads_into_the_expected_records()
    {
        var spec = ReadValid(Rolling);

        Assert.Equal("rolling", spec.Strategy.Kind);
        Assert.Equal(new SimulatedPlatformOptions { StableTargets = 6, CandidateTargets = 0 }, spec.Platform.OptionsAs<SimulatedPlatformOptions>());
        Assert.IsNotType<LocalPlatformOptions>(spec.Platform.Options);

        var rolling = spec.Strategy.Rolling!;
        Assert.Equal(CountOrPercent.FromCount(2), rolling.BatchSize);
        Assert.Equal(CountOrPercent.FromCount(1), rolling.MaxUnavailable);
        Assert.Equal(CountOrPercent.FromCount(1), rolling.MaxSurge);
        Assert.Equal("update", rolling.UpdateHook);
        Assert.Equal(["error-rate"], rolling.Gates);

        Assert.Equal(Side.Stable, spec.Gates[0].SourceAs<MetricsGateOptions>()!.Side);
        Assert.Equal(new HookSpec { Name = "update", Run = "./update.sh", Timeout = TimeSpan.FromMinutes(2) }, Assert.Single(spec.Hooks.Update));
        Assert.Equal(new HookSpec { Name = "smoke", Run = "./smoke.sh" }, Assert.Single(spec.Hooks.PreSwitch));
        Assert.Equal(new RollbackSpec(), spec.Rollback);
        Assert.Equal(new TimeoutsSpec(), spec.Timeouts);
    }

    [Fact]
    public void A_full_blue_green_spec_reads_into_the_expected_records()
    {
        var spec = ReadValid(BlueGreen);

        var blueGreen = spec.Strategy.BlueGreen!;
        Assert.Equal("blueGreen", spec.Strategy.Kind);
        Assert.Equal(["smoke"], blueGreen.PreSwitchGates);
        Assert.Equal(["error-rate"], blueGreen.PostSwitchGates);
        Assert.Equal(TimeSpan.FromMinutes(1), blueGreen.Bake);
        Assert.Equal(BlueGreenDefaults.KeepPreviousFor, blueGreen.KeepPreviousFor);
        Assert.Equal("blue", spec.Platform.OptionsAs<LocalPlatformOptions>().Stable.Version);
        Assert.Equal("green", spec.Platform.OptionsAs<LocalPlatformOptions>().Candidate!.Version);
        Assert.Equal("{preview}/healthz", spec.FindGate("smoke")!.SourceAs<HttpGateOptions>()!.Url);
    }

    [Fact]
    public void A_minimal_spec_takes_every_default()
    {
        var spec = ReadValid("""
            name: shop-api
            platform:
              type: simulated
              simulated: {}
            strategy:
              rolling: { batchSize: 25% }
            """);

        Assert.Equal(new SimulatedPlatformOptions(), spec.Platform.OptionsAs<SimulatedPlatformOptions>());
        var rolling = spec.Strategy.Rolling!;
        Assert.Equal(CountOrPercent.FromPercent(25), rolling.BatchSize);
        Assert.Equal(RollingDefaults.MaxUnavailable, rolling.MaxUnavailable);
        Assert.Equal(RollingDefaults.MaxSurge, rolling.MaxSurge);
        Assert.Null(rolling.UpdateHook);
        Assert.Empty(rolling.Gates);
        Assert.Empty(spec.Gates);
        Assert.Empty(spec.Hooks.All);
        Assert.Equal(new RollbackSpec(), spec.Rollback);
        Assert.Equal(new TimeoutsSpec(), spec.Timeouts);
    }

    [Fact]
    public void A_local_block_takes_its_defaults()
    {
        var spec = ReadValid("""
            name: shop-api
            platform:
              type: local
              local:
                stable: { targets: [http://127.0.0.1:5001] }
            strategy:
              rolling: { batchSize: 1, maxUnavailable: 1 }
            """);

        var local = spec.Platform.OptionsAs<LocalPlatformOptions>();
        Assert.Equal(LocalPlatformDefaults.Listen, local.Listen);
        Assert.Equal("", local.Stable.Version);
        Assert.Null(local.Candidate);
        Assert.Equal(new HealthCheckSpec(), local.HealthCheck);
        Assert.Equal(LocalPlatformDefaults.DrainTimeout, local.DrainTimeout);
        Assert.Equal(LocalPlatformDefaults.StateDirectory, local.StateDirectory);
    }

    [Fact]
    public void An_empty_blue_green_block_takes_every_default()
    {
        var spec = ReadValid(With(BlueGreen,
            ("blueGreen:\n    preSwitchGates: [smoke]\n    postSwitchGates: [error-rate]\n    bake: 1m", "blueGreen:")));

        Assert.Equal(new BlueGreenSpec().Bake, spec.Strategy.BlueGreen!.Bake);
        Assert.Empty(spec.Strategy.BlueGreen.PreSwitchGates);
    }

    [Theory]
    [InlineData("pause: {}", null)]
    [InlineData("pause: untilPromote", null)]
    [InlineData("pause: 1h30m", 5400.0)]
    [InlineData("pause: 500ms", 0.5)]
    public void A_pause_waits_for_a_duration_or_for_promote(string pause, double? seconds)
    {
        var spec = ReadValid(With(Canary, ("pause: 30s", pause)));

        var expected = seconds is null ? (TimeSpan?)null : TimeSpan.FromSeconds(seconds.Value);
        Assert.Equal(new PauseSpec(expected), spec.Strategy.Canary!.Steps[1].Pause);
    }

    [Theory]
    [InlineData("\"< 0.05\"", ComparisonOperator.LessThan, 0.05)]
    [InlineData("'<= 0.1'", ComparisonOperator.LessThanOrEqual, 0.1)]
    [InlineData("\">0\"", ComparisonOperator.GreaterThan, 0)]
    [InlineData("\">= 0.5\"", ComparisonOperator.GreaterThanOrEqual, 0.5)]
    [InlineData("== 0", ComparisonOperator.Equal, 0)]
    [InlineData("\"!= 1\"", ComparisonOperator.NotEqual, 1)]
    public void Conditions_read_every_operator(string condition, ComparisonOperator op, double threshold)
    {
        var spec = ReadValid(With(Canary, ("condition: \"< 0.05\"", $"condition: {condition}")));

        Assert.Equal(new GateCondition(op, threshold), spec.FindGate("error-rate")!.Condition);
    }

    [Fact]
    public void Command_gates_and_every_metrics_field_read()
    {
        var spec = ReadValid(With(Canary,
            ("http: { url: \"{address}/healthz\", probes: 5, expectStatus: 200 }", "command: { run: \"./p95.sh {deploymentId}\", timeout: 2m, measure: stdout }"),
            ("condition: \">= 0.99\"", "condition: \"< 250\"\n    noData: fail\n    minSamples: 20\n    inconclusiveLimit: 2")));

        var gate = spec.FindGate("smoke")!;
        Assert.Equal(new CommandGateOptions { Run = "./p95.sh {deploymentId}", Timeout = TimeSpan.FromMinutes(2), Measure = CommandMeasure.Stdout }, gate.SourceAs<CommandGateOptions>());
        Assert.Equal(NoDataPolicy.Fail, gate.NoData);
        Assert.Equal(20, gate.MinSamples);
        Assert.Equal(2, gate.InconclusiveLimit);
    }

    [Fact]
    public void An_explicitly_empty_optional_field_takes_its_default()
    {
        var spec = ReadValid(With(Canary, ("drainTimeout: 5s", "drainTimeout:")));

        Assert.Equal(LocalPlatformDefaults.DrainTimeout, spec.Platform.OptionsAs<LocalPlatformOptions>().DrainTimeout);
    }

    [Fact]
    public void Anchors_and_aliases_are_resolved()
    {
        var spec = ReadValid(With(Canary,
            ("stable: { version: v1, targets: [http://127.0.0.1:5001] }", "stable: &group { version: v1, targets: [http://127.0.0.1:5001] }"),
            ("candidate: { version: v2, targets: [http://127.0.0.1:5003] }", "candidate: *group")));

        Assert.Equal(spec.Platform.OptionsAs<LocalPlatformOptions>().Stable.Targets, spec.Platform.OptionsAs<LocalPlatformOptions>().Candidate!.Targets);
    }
}
