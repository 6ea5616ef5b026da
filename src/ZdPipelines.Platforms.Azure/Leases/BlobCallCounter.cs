using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ZdPipelines.Platforms.Azure.Leases;

/// <summary>
/// Counts the requests the blob lease sends to Storage, each attempt once, by kind ("Lease acquire", "Set Blob Metadata",
/// …): what the lease costs the account's request quota, and what docs/azure.md's table says per deployment.
/// </summary>
internal sealed class BlobCallCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public int Total => _calls.Values.Sum();

    public IReadOnlyDictionary<string, int> ByKind => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _calls.AddOrUpdate(Kind(message.Request), 1, (_, n) => n + 1);
    }

    /// <summary>The Blob service operation a request is (REST reference: the <c>comp</c> query and the lease action header).</summary>
    private static string Kind(Request request)
    {
        var query = request.Uri.Query;
        if (query.Contains("comp=lease", StringComparison.Ordinal))
        {
            return "Lease " + (request.Headers.TryGetValue("x-ms-lease-action", out var action) ? action : "?");
        }

        if (query.Contains("comp=metadata", StringComparison.Ordinal))
        {
            return "Set Blob Metadata";
        }

        return request.Method == RequestMethod.Head ? "Get Blob Properties" : request.Method == RequestMethod.Put ? "Put Blob" : request.Method.ToString();
    }
}
