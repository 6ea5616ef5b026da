using ZdPipelines.Core.Modules;
using ZdPipelines.Hosting.IdTokens;

namespace ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

/// <summary>
/// The ID tokens of one service connection (HostOptions.IdTokens), from <see cref="OidcTokenClient"/>: the job's
/// System.OidcRequestUri with the SystemVssConnection access token. Azure DevOps issues the token for the connection,
/// with the audience the connection's federation uses (api://AzureADTokenExchange), so <c>audience</c> cannot choose
/// one: the token is the same for every caller. It is kept until it is within <see cref="RefreshBeforeExpiry"/> of its
/// <c>exp</c>, so a deployment that outlives one token gets a fresh one; each is registered as a secret by the client.
/// </summary>
internal sealed class AzureDevOpsIdTokenSource(OidcTokenClient client, string connectionId, TimeProvider time) : IIdTokenSource, IDisposable
{
    /// <summary>The same margin as the GitHub source: an exchange with all its retries fits in it.</summary>
    public static readonly TimeSpan RefreshBeforeExpiry = GitHubIdTokenSource.RefreshBeforeExpiry;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset? Expires)? _cached;

    public string Name => $"Azure DevOps OIDC (service connection {connectionId})";

    public string ConnectionId => connectionId;

    public async Task<string> GetTokenAsync(string audience, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && (cached.Expires is not { } expires || time.GetUtcNow() < expires - RefreshBeforeExpiry))
            {
                return cached.Token;
            }

            var token = await client.RequestIdTokenAsync(connectionId, cancellationToken);
            _cached = (token, JwtExpiry.Read(token));
            return token;
        }
        catch (ServiceConnectionException e)
        {
            // The platforms report a PlatformException's message as it is, with its fix.
            throw new Core.Platforms.PlatformException(e.Message, e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>When the token handed out last expires, if it says.</summary>
    public DateTimeOffset? CurrentExpiry => _cached?.Expires;

    public void Dispose() => _gate.Dispose();
}
