namespace ZdPipelines.Platforms.Azure.Tests.Support;

/// <summary>
/// Counts the HTTP requests the clients have in flight (sent, answer not yet read). <see cref="AzureTestBed.DriveAsync(Task, TimeSpan?)"/>
/// moves the fake clock only while none is, so a slow machine cannot make a request's budget run out on fake time
/// while it is still on the wire.
/// </summary>
internal sealed class InFlightRequests
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public DelegatingHandler Wrap(HttpMessageHandler inner) => new Counting(this) { InnerHandler = inner };

    private sealed class Counting(InFlightRequests owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._count);
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                return response;
            }
            finally
            {
                Interlocked.Decrement(ref owner._count);
            }
        }
    }
}
