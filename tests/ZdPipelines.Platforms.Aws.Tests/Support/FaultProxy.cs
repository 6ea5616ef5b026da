using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Web;

namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>
/// A loopback HTTP forwarder between a client and moto_server that can answer an action with an AWS-shaped error
/// (or drop the connection) a given number of times before letting it through. It records every request it saw,
/// headers included, so tests can check what went on the wire.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _target;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private readonly Task _loop;

    public FaultProxy(Uri target)
    {
        _target = target;
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<SeenRequest> Seen => [.. _seen];

    /// <summary>Answers the next <paramref name="times"/> calls of <paramref name="action"/> with this error instead of forwarding them.</summary>
    public void Fail(string action, int times, int status, string code, string message)
    {
        var queue = _faults.GetOrAdd(action, _ => new ConcurrentQueue<Fault>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(new Fault(status, code, message));
        }
    }

    /// <summary>Closes the connection without an answer on the next <paramref name="times"/> calls of <paramref name="action"/>.</summary>
    public void Drop(string action, int times) => Fail(action, times, 0, string.Empty, string.Empty);

    public int Count(string action) => _seen.Count(r => r.Action == action);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the loop this way.
        }

        _upstream.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var form = HttpUtility.ParseQueryString(body);
            var action = form["Action"] ?? string.Empty;
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            _seen.Enqueue(new SeenRequest(action, headers, body));

            if (_faults.TryGetValue(action, out var queue) && queue.TryDequeue(out var fault))
            {
                if (fault.Status == 0)
                {
                    context.Response.Abort();
                    return;
                }

                await WriteAsync(context.Response, fault.Status, "text/xml",
                    $"<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error><Type>Sender</Type>"
                    + $"<Code>{fault.Code}</Code><Message>{WebUtility.HtmlEncode(fault.Message)}</Message></Error><RequestId>fault-{Guid.NewGuid():N}</RequestId></ErrorResponse>");
                return;
            }

            using var forward = new HttpRequestMessage(HttpMethod.Post, _target) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            forward.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
            foreach (var (name, value) in headers)
            {
                if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase) || name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    forward.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var answer = await _upstream.SendAsync(forward);
            await WriteAsync(context.Response, (int)answer.StatusCode, answer.Content.Headers.ContentType?.ToString() ?? "text/xml",
                await answer.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Fault(int Status, string Code, string Message);
}

public sealed record SeenRequest(string Action, IReadOnlyDictionary<string, string> Headers, string Body);
