using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Secrets;

namespace ZdPipelines.Hosting;

/// <summary>What a host (the CLI, a CI integration) sets up once for its sessions.</summary>
public sealed record HostOptions
{
    /// <summary>The platforms and gate sources this host offers.</summary>
    public required ModuleCatalog Modules { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>"build-agent-7/4242": written into the lease, so a refused deployment says which run holds the target.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>How the engine polls and holds its lease; <see cref="EngineOptions.Owner"/> is set from <see cref="Owner"/>.</summary>
    public EngineOptions Engine { get; init; } = new();

    /// <summary>ID tokens of the CI system that runs zdp, for platform credentials that federate; null outside CI.</summary>
    public IIdTokenSource? IdTokens { get; init; }

    /// <summary>
    /// The secrets of this run: platforms register the credentials they hold, the host masks everything it prints with
    /// it (and can forward each value to its CI system, e.g. GitHub's ::add-mask::), the engine everything it journals.
    /// </summary>
    public SecretMasker Secrets { get; init; } = new();

    /// <summary>
    /// The second cancel (<see cref="Signals.TerminationSignals.Interrupt"/>): a rollback finishes moving traffic back, then
    /// stops and leaves the rest to `zdp rollback` (<see cref="EngineOptions.Interrupt"/>).
    /// </summary>
    public CancellationToken Interrupt { get; init; }
}
