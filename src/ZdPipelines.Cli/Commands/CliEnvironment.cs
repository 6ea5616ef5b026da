using System.CommandLine;
using ZdPipelines.Cli.Output;
using ZdPipelines.Core.Secrets;
using ZdPipelines.Hosting;
using ZdPipelines.Hosting.IdTokens;

namespace ZdPipelines.Cli.Commands;

/// <summary>What a command runs against: the two output streams, whether stdout is a terminal, the clock and the host's modules.</summary>
internal sealed record CliEnvironment(TextWriter Out, TextWriter Error, bool OutIsTerminal, TimeProvider Time)
{
    /// <summary>The second Ctrl+C / SIGTERM (<see cref="HostOptions.Interrupt"/>).</summary>
    public CancellationToken Interrupt { get; init; }

    /// <summary>For GitHub's ID token service; one per process, as HttpClient wants.</summary>
    private static readonly HttpClient IdTokenHttp = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// A host for one command: the modules, the clock, and a masker of its own for the secrets it meets. Run as a step
    /// of a GitHub Actions job with `id-token: write`, the job's ID tokens are offered to platforms (githubOidc).
    /// </summary>
    public HostOptions NewHost()
    {
        var secrets = new SecretMasker();
        return new()
        {
            Modules = ZdpModules.All,
            Time = Time,
            Secrets = secrets,
            Interrupt = Interrupt,
            IdTokens = GitHubIdTokenSource.FromEnvironment(IdTokenHttp, Environment.GetEnvironmentVariable, secrets, Time),
        };
    }

    public CommandOutput OutputFor(ParseResult parse, GlobalOptions options, SecretMasker? secrets = null)
    {
        var mode = options.RequestedMode(parse) ?? (OutIsTerminal ? OutputMode.Human : OutputMode.Plain);
        // https://no-color.org: any non-empty NO_COLOR turns colours off.
        var color = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return new CommandOutput(Out, Error, mode, color, secrets);
    }
}
