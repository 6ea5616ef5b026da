using System.Collections.Concurrent;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// How many times each action was called, and how many HTTP requests that took (retries included): what benchmarks
/// compare against API rate limits, and what tests assert on.
/// </summary>
internal sealed class AwsCallCounter
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    /// <summary>Operation calls per action, e.g. <c>DescribeRules</c> → 3 for three pages.</summary>
    public IReadOnlyDictionary<string, int> CallsByAction => new SortedDictionary<string, int>(_calls, StringComparer.Ordinal);

    /// <summary>HTTP requests per action: calls plus their retries. AWS throttles on these.</summary>
    public IReadOnlyDictionary<string, int> RequestsByAction => new SortedDictionary<string, int>(_requests, StringComparer.Ordinal);

    public int TotalCalls => _calls.Values.Sum();

    public int TotalRequests => _requests.Values.Sum();

    public int Calls(string action) => _calls.GetValueOrDefault(action);

    public int Requests(string action) => _requests.GetValueOrDefault(action);

    public void Reset()
    {
        _calls.Clear();
        _requests.Clear();
    }

    internal void CountCall(string action) => _calls.AddOrUpdate(action, 1, (_, n) => n + 1);

    internal void CountRequest(string action) => _requests.AddOrUpdate(action, 1, (_, n) => n + 1);
}
