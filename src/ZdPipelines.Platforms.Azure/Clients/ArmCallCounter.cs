using System.Collections.Concurrent;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// ARM calls per operation and the HTTP attempts they took (retries and long-running-operation polls included), so the
/// benchmark can put the calls a strategy makes beside the minimum.
/// </summary>
internal sealed class ArmCallCounter
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    /// <summary>Calls per <c>operationId</c> (one per client method invocation, or per poll of an operation).</summary>
    public IReadOnlyDictionary<string, int> Calls => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    /// <summary>HTTP requests per <c>operationId</c>: calls plus Azure.Core's retries.</summary>
    public IReadOnlyDictionary<string, int> Attempts => new Dictionary<string, int>(_attempts, StringComparer.Ordinal);

    public int TotalCalls => _calls.Values.Sum();

    public int TotalAttempts => _attempts.Values.Sum();

    public void Reset()
    {
        _calls.Clear();
        _attempts.Clear();
    }

    internal void CountCall(string operationId) => _calls.AddOrUpdate(operationId, 1, (_, n) => n + 1);

    internal void CountAttempt(string operationId) => _attempts.AddOrUpdate(operationId, 1, (_, n) => n + 1);
}
