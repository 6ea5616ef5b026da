namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>
/// Failures on demand, consumed in order by the next matching ARM requests (after authentication, before the operation runs):
/// throttling as ARM does it (429, <c>Retry-After</c>, <c>x-ms-ratelimit-remaining-*: 0</c>) and server errors.
/// </summary>
public sealed class ArmFaults
{
    private readonly object _gate = new();
    private readonly List<Fault> _pending = [];

    /// <summary>The next <paramref name="times"/> requests (of <paramref name="operationId"/>, or any) get 429 Too Many Requests.</summary>
    public void Throttle(int times, TimeSpan retryAfter, string? operationId = null) =>
        Add(times, new Fault(429, "TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.", retryAfter, operationId));

    /// <summary>The next <paramref name="times"/> requests (of <paramref name="operationId"/>, or any) get <paramref name="status"/> (a 5xx).</summary>
    public void Fail(int times, int status = 500, string? operationId = null, string code = "InternalServerError", string message = "Encountered internal server error. Please try again.") =>
        Add(times, new Fault(status, code, message, null, operationId));

    /// <summary>The next <paramref name="times"/> requests (of <paramref name="operationId"/>, or any) get no answer until the client gives up.</summary>
    public void Hang(int times, string? operationId = null) => Add(times, new Fault(0, "", "", null, operationId));

    internal Fault? Take(string operationId)
    {
        lock (_gate)
        {
            var index = _pending.FindIndex(f => f.OperationId is null || f.OperationId == operationId);
            if (index < 0)
            {
                return null;
            }

            var fault = _pending[index];
            _pending.RemoveAt(index);
            return fault;
        }
    }

    private void Add(int times, Fault fault)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _pending.Add(fault);
            }
        }
    }

    /// <summary>An answer to give instead of the operation's; <see cref="Status"/> 0 is no answer at all.</summary>
    internal sealed record Fault(int Status, string Code, string Message, TimeSpan? RetryAfter, string? OperationId)
    {
        public bool Hangs => Status == 0;
    }
}
