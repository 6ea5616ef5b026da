namespace ZdPipelines.Core.Spec;

/// <summary>
/// The keys zdp.yml accepts, per section, and the values of its enumerations. The reader rejects anything
/// else (with a did-you-mean drawn from here), and a test checks schema/zdp.schema.json against this
/// table, so the editor schema cannot drift from what the reader accepts.
/// </summary>
/// <remarks>
/// Section ids are paths with "[]" for "each item of the list": "gates[].http" is the http block of any gate.
/// </remarks>
internal static class SpecKeys
{
    public const string Root = "";
    public const string Platform = "platform";
    public const string Local = "platform.local";
    public const string LocalStable = "platform.local.stable";
    public const string LocalCandidate = "platform.local.candidate";
    public const string HealthCheck = "platform.local.healthCheck";
    public const string Simulated = "platform.simulated";
    public const string AwsAlb = "platform.awsAlb";
    public const string AwsCredentials = "platform.awsAlb.credentials";
    public const string Strategy = "strategy";
    public const string Canary = "strategy.canary";
    public const string CanaryStep = "strategy.canary.steps[]";
    public const string BlueGreen = "strategy.blueGreen";
    public const string Rolling = "strategy.rolling";
    public const string Gate = "gates[]";
    public const string GateMetrics = "gates[].metrics";
    public const string GateHttp = "gates[].http";
    public const string GateCommand = "gates[].command";
    public const string GateCloudWatch = "gates[].cloudWatch";
    public const string GateCloudWatchQuery = "gates[].cloudWatch.queries[]";
    public const string GateCloudWatchMetric = "gates[].cloudWatch.queries[].metric";
    public const string GateAlarm = "gates[].alarm";
    public const string Hooks = "hooks";
    public const string Rollback = "rollback";
    public const string Timeouts = "timeouts";

    /// <summary>The four hook lists, in the order they run in a deployment's life.</summary>
    public static readonly IReadOnlyList<string> HookLists = ["preSwitch", "update", "postPromote", "postRollback"];

    private static readonly string[] HookKeys = ["name", "run", "timeout"];
    private static readonly string[] UpstreamGroupKeys = ["version", "targets"];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> BySection = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [Root] = ["name", "platform", "strategy", "gates", "hooks", "rollback", "timeouts"],
        [Platform] = ["type", "local", "simulated", "awsAlb"],
        [Local] = ["listen", "stable", "candidate", "healthCheck", "drainTimeout", "stateDirectory"],
        [LocalStable] = UpstreamGroupKeys,
        [LocalCandidate] = UpstreamGroupKeys,
        [HealthCheck] = ["path", "interval", "timeout", "healthyThreshold", "unhealthyThreshold"],
        [Simulated] = ["stableTargets", "candidateTargets", "healthCheckInterval", "healthyThreshold", "deregistrationDelay", "candidateErrorRate"],
        [AwsAlb] = ["region", "endpointUrl", "listenerArn", "ruleArn", "targetGroupArns", "previewListenerArn", "previewRuleArn", "previewUrl", "credentials"],
        [AwsCredentials] = ["roleArn", "webIdentityTokenFile", "roleSessionName", "githubOidc"],
        [Strategy] = ["canary", "blueGreen", "rolling"],
        [Canary] = ["steps"],
        [CanaryStep] = ["setWeight", "pause", "gate"],
        [BlueGreen] = ["preSwitchGates", "postSwitchGates", "bake", "keepPreviousFor"],
        [Rolling] = ["batchSize", "maxUnavailable", "maxSurge", "updateHook", "gates"],
        [Gate] = ["name", "metrics", "http", "command", "cloudWatch", "alarm", "condition", "interval", "count", "failureLimit", "inconclusiveLimit", "minSamples", "noData"],
        [GateMetrics] = ["metric", "side", "window"],
        [GateHttp] = ["url", "probes", "expectStatus", "bodyContains", "timeout", "measure"],
        [GateCommand] = ["run", "timeout", "measure"],
        [GateCloudWatch] = ["preset", "side", "queries", "period", "window"],
        [GateCloudWatchQuery] = ["id", "metric", "expression", "returnData"],
        [GateCloudWatchMetric] = ["namespace", "name", "stat", "dimensions"],
        [GateAlarm] = ["names", "namePrefix"],
        [Hooks] = HookLists,
        ["hooks.preSwitch[]"] = HookKeys,
        ["hooks.update[]"] = HookKeys,
        ["hooks.postPromote[]"] = HookKeys,
        ["hooks.postRollback[]"] = HookKeys,
        [Rollback] = ["automatic", "onInconclusive"],
        [Timeouts] = ["healthy", "drain", "promote", "total"],
    };

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> EnumValues = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["platform.type"] = PlatformTypes.All,
        ["gates[].metrics.metric"] = Names(Metrics),
        ["gates[].metrics.side"] = Names(Sides),
        ["gates[].http.measure"] = Names(HttpMeasures),
        ["gates[].command.measure"] = Names(CommandMeasures),
        ["gates[].cloudWatch.preset"] = Names(AlbMetricPresets),
        ["gates[].cloudWatch.side"] = Names(Sides),
        ["gates[].noData"] = Names(NoDataPolicies),
        ["rollback.onInconclusive"] = Names(InconclusiveActions),
    };

    // Spelled out rather than derived from the enum member names: the file format is a public contract
    // and must not change when a C# member is renamed.
    public static IReadOnlyList<(string Name, PlatformMetric Value)> Metrics =>
        [("requests", PlatformMetric.Requests), ("errorRate", PlatformMetric.ErrorRate), ("latencyP95Ms", PlatformMetric.LatencyP95Ms)];

    public static IReadOnlyList<(string Name, Plans.Side Value)> Sides =>
        [("stable", Plans.Side.Stable), ("candidate", Plans.Side.Candidate)];

    public static IReadOnlyList<(string Name, HttpMeasure Value)> HttpMeasures =>
        [("successRate", HttpMeasure.SuccessRate), ("latencyP95Ms", HttpMeasure.LatencyP95Ms)];

    public static IReadOnlyList<(string Name, CommandMeasure Value)> CommandMeasures =>
        [("exitCode", CommandMeasure.ExitCode), ("stdout", CommandMeasure.Stdout)];

    public static IReadOnlyList<(string Name, AlbMetricPreset Value)> AlbMetricPresets =>
        [("targetGroup5xxRate", AlbMetricPreset.TargetGroup5xxRate), ("targetResponseTimeP99", AlbMetricPreset.TargetResponseTimeP99), ("requestCount", AlbMetricPreset.RequestCount)];

    public static IReadOnlyList<(string Name, NoDataPolicy Value)> NoDataPolicies =>
        [("inconclusive", NoDataPolicy.Inconclusive), ("pass", NoDataPolicy.Pass), ("fail", NoDataPolicy.Fail)];

    public static IReadOnlyList<(string Name, InconclusiveAction Value)> InconclusiveActions =>
        [("rollback", InconclusiveAction.Rollback), ("continue", InconclusiveAction.Continue)];

    private static string[] Names<T>(IReadOnlyList<(string Name, T Value)> values) => [.. values.Select(v => v.Name)];
}

/// <summary>The values of platform.type.</summary>
internal static class PlatformTypes
{
    public const string Local = "local";
    public const string Simulated = "simulated";
    public const string AwsAlb = "awsAlb";

    public static readonly IReadOnlyList<string> All = [Local, Simulated, AwsAlb];
}
