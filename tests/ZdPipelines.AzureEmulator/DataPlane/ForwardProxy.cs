using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using ZdPipelines.AzureEmulator.Certificates;

namespace ZdPipelines.AzureEmulator.DataPlane;

/// <summary>
/// An HTTP forward proxy on loopback, so that App Service host names that cannot resolve here still reach the emulated data
/// plane, from this process or a child (HTTP_PROXY / HTTPS_PROXY, which .NET's default proxy honours):
/// <list type="bullet">
/// <item><c>CONNECT host:443</c> for an emulated host: answered 200, TLS terminated with a certificate for that host from the
/// emulator's CA, and the decrypted stream handed to the data plane.</item>
/// <item><c>CONNECT</c> to a loopback address: tunnelled as is (so ARM on 127.0.0.1 works through the proxy too).</item>
/// <item>A plain-HTTP request in absolute form (<c>GET http://host/path</c>): the connection is handed to the data plane,
/// which routes by host.</item>
/// <item>Anything else: 502, since the emulator has no Internet to offer.</item>
/// </list>
/// </summary>
internal sealed class ForwardProxy : IAsyncDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, bool> _isEmulatedHost;
    private readonly EmulatorCertificateAuthority _authority;
    private readonly IPEndPoint _dataPlane;
    private Task? _accepting;

    public ForwardProxy(Func<string, bool> isEmulatedHost, EmulatorCertificateAuthority authority, IPEndPoint dataPlane)
    {
        _isEmulatedHost = isEmulatedHost;
        _authority = authority;
        _dataPlane = dataPlane;
    }

    public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (head, rest) = await ReadHeadAsync(stream, _stop.Token);
                if (head is null)
                {
                    return;
                }

                var firstLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)];
                var parts = firstLine.Split(' ');
                if (parts.Length == 3 && parts[0].Equals("CONNECT", StringComparison.OrdinalIgnoreCase))
                {
                    await ConnectAsync(stream, parts[1]);
                    return;
                }

                if (parts.Length == 3 && Uri.TryCreate(parts[1], UriKind.Absolute, out var target) && target.Scheme == Uri.UriSchemeHttp && _isEmulatedHost(target.Host))
                {
                    using var upstream = new TcpClient();
                    await upstream.ConnectAsync(_dataPlane, _stop.Token);
                    var up = upstream.GetStream();
                    await up.WriteAsync(Encoding.Latin1.GetBytes(head), _stop.Token);
                    await up.WriteAsync(rest, _stop.Token);
                    await PipeAsync(stream, up);
                    return;
                }

                await RefuseAsync(stream, parts.Length > 1 ? parts[1] : firstLine);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // The client or the data plane hung up; nothing to report to anyone.
            }
        }
    }

    private async Task ConnectAsync(NetworkStream client, string authority)
    {
        var colon = authority.LastIndexOf(':');
        var host = colon > 0 ? authority[..colon].Trim('[', ']') : authority;
        var port = colon > 0 && int.TryParse(authority[(colon + 1)..], out var p) ? p : 443;
        if (_isEmulatedHost(host))
        {
            await client.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stop.Token);
            await using var tls = new SslStream(client, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _authority.ServerCertificate(host) }, _stop.Token);
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(_dataPlane, _stop.Token);
            await PipeAsync(tls, upstream.GetStream());
            return;
        }

        if (host is "127.0.0.1" or "localhost" or "::1")
        {
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(host == "localhost" ? "127.0.0.1" : host, port, _stop.Token);
            await client.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stop.Token);
            await PipeAsync(client, upstream.GetStream());
            return;
        }

        await RefuseAsync(client, authority);
    }

    private async Task RefuseAsync(NetworkStream client, string target)
    {
        var text = $"The Azure emulator's proxy reaches only emulated App Service host names and loopback, not '{target}'.";
        var bytes = Encoding.UTF8.GetBytes(text);
        var head = $"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await client.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
        await client.WriteAsync(bytes, _stop.Token);
    }

    private async Task PipeAsync(Stream a, Stream b)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var one = a.CopyToAsync(b, done.Token);
        var two = b.CopyToAsync(a, done.Token);
        await Task.WhenAny(one, two);
        await done.CancelAsync();
        try
        {
            await Task.WhenAll(one, two);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // One side closed; the other copy ends with it.
        }
    }

    /// <summary>The request head (up to and including the blank line) and whatever arrived after it.</summary>
    private static async Task<(string? Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeaderBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return (null, []);
            }

            filled += read;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.Latin1.GetString(buffer, 0, end + 4), buffer[(end + 4)..filled]);
            }
        }

        return (null, []);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting;
        }

        _listener.Dispose();
        _stop.Dispose();
    }
}
