using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>
/// A loopback HTTP forwarder (Kestrel) between a client and moto_server that can answer an action with an AWS-shaped
/// error, or reset the connection, a given number of times before letting it through. It records every request it
/// saw, headers included, so tests can check what went on the wire.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _target;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private readonly ConcurrentQueue<string> _answered = new();

    private const string EchoSignedRequest = "\u0000echo";

    private FaultProxy(Uri target, WebApplication app)
    {
        _target = target;
        _app = app;
    }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<SeenRequest> Seen => [.. _seen];

    public static async Task<FaultProxy> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new FaultProxy(target, app);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy.Endpoint = new Uri(address.TrimEnd('/') + "/");
        return proxy;
    }

    /// <summary>Answers the next <paramref name="times"/> calls of <paramref name="action"/> with this error instead of forwarding them.</summary>
    public void Fail(string action, int times, int status, string code, string message)
    {
        var queue = _faults.GetOrAdd(action, _ => new ConcurrentQueue<Fault>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(new Fault(status, code, message));
        }
    }

    /// <summary>Resets the connection without an answer on the next <paramref name="times"/> calls of <paramref name="action"/>.</summary>
    public void Drop(string action, int times) => Fail(action, times, 0, string.Empty, string.Empty);

    /// <summary>
    /// Answers the next <paramref name="times"/> calls of <paramref name="action"/> as AWS answers a wrong secret key:
    /// 403 SignatureDoesNotMatch whose message echoes the canonical request and string-to-sign it computed from the
    /// request's own signed headers, <c>x-amz-security-token</c> included (shape: aws/aws-sdk-cpp#17,
    /// amzn/selling-partner-api-docs#1456).
    /// </summary>
    public void RejectSignature(string action, int times) => Fail(action, times, 403, "SignatureDoesNotMatch", EchoSignedRequest);

    /// <summary>The error bodies the proxy answered with, newest last.</summary>
    public IReadOnlyList<string> Answered => [.. _answered];

    /// <summary>Holds the next <paramref name="times"/> calls of <paramref name="action"/> without an answer until the client gives up on them.</summary>
    public void Stall(string action, int times) => Fail(action, times, -1, string.Empty, string.Empty);

    public int Count(string action) => _seen.Count(r => r.Action == action);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var action = HttpUtility.ParseQueryString(body)["Action"] ?? string.Empty;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _seen.Enqueue(new SeenRequest(action, headers, body));

        if (_faults.TryGetValue(action, out var queue) && queue.TryDequeue(out var fault))
        {
            if (fault.Status == 0)
            {
                context.Abort();
                return;
            }

            if (fault.Status < 0)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client hung up: it gave up on this attempt.
                }

                return;
            }

            context.Response.StatusCode = fault.Status;
            context.Response.ContentType = "text/xml";
            var message = fault.Message == EchoSignedRequest ? SignatureMismatch(headers, body) : fault.Message;
            var error = $"<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error><Type>Sender</Type>"
                + $"<Code>{fault.Code}</Code><Message>{WebUtility.HtmlEncode(message)}</Message></Error><RequestId>fault-{Guid.NewGuid():N}</RequestId></ErrorResponse>";
            _answered.Enqueue(error);
            await context.Response.WriteAsync(error);
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
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "text/xml";
        await context.Response.WriteAsync(await answer.Content.ReadAsStringAsync());
    }

    /// <summary>AWS's text for a signature that does not match, with the canonical request and string-to-sign it echoes.</summary>
    private static string SignatureMismatch(IReadOnlyDictionary<string, string> headers, string body)
    {
        var authorization = headers.GetValueOrDefault("Authorization", "");
        var signed = authorization.Split("SignedHeaders=")[^1].Split(',')[0];
        var scope = authorization.Split("Credential=")[^1].Split(',')[0];
        scope = scope[(scope.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var canonicalHeaders = string.Concat(signed.Split(';').Select(h => $"{h}:{headers.GetValueOrDefault(h, "")}\n"));
        var bodyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var canonical = $"POST\n/\n\n{canonicalHeaders}\n{signed}\n{bodyHash}";
        var date = headers.GetValueOrDefault("x-amz-date", "");
        var canonicalHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. "
            + "Consult the service documentation for details.\n\n"
            + $"The Canonical String for this request should have been\n'{canonical}'\n\n"
            + $"The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n{date}\n{scope}\n{canonicalHash}'\n";
    }

    private sealed record Fault(int Status, string Code, string Message);
}

public sealed record SeenRequest(string Action, IReadOnlyDictionary<string, string> Headers, string Body);
