using System.Globalization;
using System.Net;

namespace ZdPipelines.Platforms.Local.Proxy;

/// <summary>Parses the "host:port" a proxy listens on: an IP literal, "localhost" or "*", and a port (0 = any free port).</summary>
internal static class ListenAddress
{
    public static IPEndPoint Parse(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new FormatException($"'{listen}' is not a host:port to listen on (for example 127.0.0.1:8080, or port 0 for any free port).");
        }

        var host = listen[..colon].Trim('[', ']');
        var ip = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" => IPAddress.Any,
            _ when IPAddress.TryParse(host, out var parsed) => parsed,
            _ => throw new FormatException($"'{host}' in '{listen}' is not an IP address; use an IP literal, 'localhost' or '*'."),
        };
        return new IPEndPoint(ip, port);
    }

    /// <summary>The URL a client on this machine uses; a wildcard bind is reached through loopback.</summary>
    public static Uri ToUri(IPEndPoint bound)
    {
        var ip = bound.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : bound.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : bound.Address;
        return new Uri($"http://{new IPEndPoint(ip, bound.Port)}");
    }
}
