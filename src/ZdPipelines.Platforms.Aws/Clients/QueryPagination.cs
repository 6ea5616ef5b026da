using System.Runtime.CompilerServices;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>Marker/NextMarker (ELBv2) and NextToken (CloudWatch) pagination, as botocore's paginators-1.json describe it.</summary>
internal static class QueryPagination
{
    /// <summary>Every page: ask, yield, and ask again with the next marker (NextMarker, NextToken) as input until there is none.</summary>
    public static async IAsyncEnumerable<TResponse> PagesAsync<TRequest, TResponse>(
        TRequest first,
        Func<TRequest, string?> marker,
        Func<TRequest, string, TRequest> withMarker,
        Func<TRequest, CancellationToken, Task<TResponse>> send,
        Func<TResponse, string?> nextMarker,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        var request = first;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (marker(first) is { } start)
        {
            seen.Add(start);
        }

        while (true)
        {
            var response = await send(request, cancellationToken);
            yield return response;
            if (nextMarker(response) is not { } next)
            {
                yield break;
            }

            // A server that hands back a marker it already gave would loop forever; stop with a clear error instead.
            if (!seen.Add(next))
            {
                throw new InvalidOperationException($"The service returned the marker '{next}' twice; stopping the pagination.");
            }

            request = withMarker(request, next);
        }
    }

    /// <summary>Every item of every page.</summary>
    public static async IAsyncEnumerable<TItem> AllAsync<TRequest, TResponse, TItem>(
        TRequest first,
        Func<TRequest, string?> marker,
        Func<TRequest, string, TRequest> withMarker,
        Func<TRequest, CancellationToken, Task<TResponse>> send,
        Func<TResponse, (IReadOnlyList<TItem> Items, string? NextMarker)> page,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var response in PagesAsync(first, marker, withMarker, send, r => page(r).NextMarker, cancellationToken))
        {
            foreach (var item in page(response).Items)
            {
                yield return item;
            }
        }
    }
}
