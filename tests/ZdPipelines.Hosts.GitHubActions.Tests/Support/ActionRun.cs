using ZdPipelines.Hosts.GitHubActions.Runner;
using ZdPipelines.Hosts.GitHubActions.Session;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Support;

/// <summary>
/// One run of the Action in-process, with the runner's variables and file commands as ContainerActionHandler.cs sets
/// them, in a temporary directory.
/// </summary>
internal sealed class ActionRun : IDisposable
{
    public ActionRun()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("zdp-action-test-").FullName;
        Variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_REPOSITORY"] = "octo/shop",
            ["GITHUB_SHA"] = "6dcb09b5b57875f334f61aebed695e2e4193db5e",
            ["GITHUB_REF"] = "refs/heads/main",
            ["GITHUB_SERVER_URL"] = "https://github.com",
            ["GITHUB_RUN_ID"] = "42",
            ["GITHUB_OUTPUT"] = Path.Combine(Directory, $"set_output_{Guid.NewGuid()}"),
            ["GITHUB_STEP_SUMMARY"] = Path.Combine(Directory, $"step_summary_{Guid.NewGuid()}"),
        };
    }

    public string Directory { get; }

    public Dictionary<string, string> Variables { get; }

    public StringWriter Log { get; } = new() { NewLine = "\n" };

    public string Summary => File.Exists(Variables["GITHUB_STEP_SUMMARY"]) ? File.ReadAllText(Variables["GITHUB_STEP_SUMMARY"]) : "";

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The outputs the step set, read back with the heredoc rule of the runner's FileCommandManager.cs.</summary>
    public Dictionary<string, string> Outputs()
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Variables["GITHUB_OUTPUT"];
        if (!File.Exists(path))
        {
            return outputs;
        }

        var lines = File.ReadAllText(path).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = lines[i].IndexOf("<<", StringComparison.Ordinal);
            if (marker < 0)
            {
                continue;
            }

            var (name, delimiter) = (lines[i][..marker], lines[i][(marker + 2)..]);
            var value = new List<string>();
            while (lines[++i] != delimiter)
            {
                value.Add(lines[i]);
            }

            outputs[name] = string.Join('\n', value);
        }

        return outputs;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        var context = new ActionContext(new RunnerEnvironment(Variables), new WorkflowLog(Log), new HostingSession(TimeProvider.System), http, TimeProvider.System);
        return await ActionApp.RunAsync(context, () => null, cancellationToken);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>A canary on the simulated platform that finishes in about a second; errorRate 0.3 makes its gate fail.</summary>
    public static string SimulatedCanary(double candidateErrorRate = 0, string name = "shop-api") => $"""
        name: {name}
        platform:
          type: simulated
          simulated:
            stableTargets: 2
            candidateTargets: 2
            healthCheckInterval: 50ms
            healthyThreshold: 1
            deregistrationDelay: 50ms
            candidateErrorRate: {candidateErrorRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}
        strategy:
          canary:
            steps:
              - setWeight: 20
              - pause: 200ms
              - gate: error-rate
              - setWeight: 60
              - gate: error-rate
        gates:
          - name: error-rate
            metrics: {"{"} metric: errorRate, side: candidate, window: 30s {"}"}
            condition: "< 0.05"
            interval: 100ms
            count: 2
        timeouts:
          healthy: 30s
          total: 2m
        """;
}
