using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Spec.Validation;

namespace ZdPipelines.Core.Modules;

/// <summary>
/// Everything about one platform that the rest of zdp needs, in one place (Argo Rollouts' traffic routers, one folder
/// each): its block of zdp.yml (binding, rules, JSON Schema), the gate sources it brings, and how it is opened. A host
/// lists its modules once (<see cref="ModuleCatalog"/>); nothing else names a platform.
/// </summary>
public interface IPlatformModule
{
    /// <summary>The value of platform.type, which is also the key of the platform's block ("awsAlb").</summary>
    string Type { get; }

    /// <summary>The platform in words for messages, e.g. "an AWS platform".</summary>
    string Description { get; }

    /// <summary>A minimal block, for "add an awsAlb block under platform, e.g. …".</summary>
    string Example { get; }

    /// <summary>
    /// Reads the block from the platform mapping (the module asks for its own key, <see cref="Type"/>, with its own
    /// keys). Problems of shape (unknown keys, a list where a text belongs) are reported through the mapping;
    /// unreadable values are left at their defaults, so the result is usable by <see cref="Validate"/>, which skips
    /// what could not be read. Null when the block is not a mapping at all (also reported).
    /// </summary>
    PlatformOptions? Bind(SpecMapping platform);

    /// <summary>Checks the options and how they fit the rest of the spec (the strategy, the gates): every problem, none thrown.</summary>
    void Validate(PlatformOptions options, DeploymentSpec spec, SpecProblems problems);

    /// <summary>
    /// The JSON Schema of the block: a JSON object with "$defs", one of which is named <see cref="Type"/> and describes
    /// the block itself. zdp assembles schema/zdp.schema.json from the core's schema and every module's.
    /// </summary>
    string Schema { get; }

    /// <summary>Gate sources only this platform can serve (CloudWatch on AWS); the generic ones are registered apart.</summary>
    IReadOnlyList<IGateSourceModule> GateSources { get; }

    /// <summary>Opens the platform for one use; reads and checks what the spec names, changes nothing.</summary>
    Task<OpenedPlatform> OpenAsync(PlatformOpening opening, CancellationToken cancellationToken);
}

/// <summary>What opening a platform needs: the validated spec, what it is opened for, the clock, and where a platform reports secrets it learns.</summary>
public sealed record PlatformOpening(DeploymentSpec Spec, PlatformUse Use, TimeProvider Time)
{
    /// <summary>Tokens this run can obtain (GitHub Actions' or Azure DevOps' OIDC), for credentials that federate; null outside CI.</summary>
    public IIdTokenSource? IdTokens { get; init; }

    /// <summary>Told every credential value the platform holds, so nothing zdp prints or stores shows it.</summary>
    public Action<string> RegisterSecret { get; init; } = _ => { };
}

/// <summary>What a command does with the platform, so a module opens no more than that needs.</summary>
public enum PlatformUse
{
    /// <summary>deploy, resume, rollback: the platform whose traffic changes.</summary>
    Change,

    /// <summary>plan: observe without taking anything over.</summary>
    Inspect,

    /// <summary>status, promote, abort: the lease and journal (and what can be observed without taking over).</summary>
    Journal,
}

/// <summary>
/// A platform opened for a command, which the command must dispose (the local platform runs a proxy inside the zdp
/// process), with notes for the user about what it is (the simulated platform's state lives in memory only).
/// </summary>
public sealed class OpenedPlatform(IPlatform platform, IReadOnlyList<string>? notes = null) : IAsyncDisposable
{
    public IPlatform Platform { get; } = platform;

    public IReadOnlyList<string> Notes { get; } = notes ?? [];

    public async ValueTask DisposeAsync()
    {
        switch (Platform)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}

/// <summary>The audiences the clouds' token exchanges expect (GitHub docs security/oidc-in-aws.md, oidc-in-azure.md).</summary>
public static class IdTokenAudiences
{
    /// <summary>STS AssumeRoleWithWebIdentity; what aws-actions/configure-aws-credentials requests.</summary>
    public const string Aws = "sts.amazonaws.com";

    /// <summary>Microsoft Entra workload identity federation; what azure/login requests.</summary>
    public const string Azure = "api://AzureADTokenExchange";
}

/// <summary>
/// An OpenID Connect ID token for an audience, from the CI system that runs zdp (GitHub Actions, an Azure DevOps
/// service connection), for credentials that federate with it: AWS AssumeRoleWithWebIdentity, an Entra ID client assertion.
/// </summary>
public interface IIdTokenSource
{
    /// <summary>Where the tokens come from, for messages ("GitHub Actions OIDC").</summary>
    string Name { get; }

    /// <summary>A token for <paramref name="audience"/> that is valid for a while yet; fetched again when the cached one nears its expiry.</summary>
    Task<string> GetTokenAsync(string audience, CancellationToken cancellationToken);
}
