using ZdPipelines.Core.Platforms;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// The App Service platform's deployment lease: the app's <c>zdp:lease</c> tag (<see cref="AppServiceLease"/>, not atomic),
/// or, when the spec names one, a blob lease in Azure Storage (<see cref="Leases.BlobLease"/>, atomic). The journal stays in
/// the app's tags either way.
/// </summary>
internal interface IAppServiceLease
{
    /// <summary>For `zdp plan`: what kind of lease this is, and what it guarantees.</summary>
    string Note { get; }

    /// <summary>True while this instance holds the lease for <paramref name="deploymentId"/>.</summary>
    bool Holds(string deploymentId);

    /// <summary>Reads what the lease lives in without changing it, so a missing permission or resource is reported before any change.</summary>
    Task VerifyAsync(CancellationToken cancellationToken);

    /// <summary>Takes (or renews) the lease when it is free, expired, or this run's; otherwise returns the holder.</summary>
    Task<LeaseResult> TryAcquireAsync(Lease wanted, CancellationToken cancellationToken);

    /// <summary>Takes the lease from exactly <paramref name="holder"/>, known to be dead; refuses when another holds it now.</summary>
    Task<LeaseResult> TakeOverAsync(Lease wanted, Lease holder, CancellationToken cancellationToken);

    /// <summary>Gives the lease back if this instance holds it for <paramref name="deploymentId"/>.</summary>
    Task ReleaseAsync(string deploymentId, CancellationToken cancellationToken);
}
