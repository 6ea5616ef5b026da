using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ZdPipelines.AzureEmulator.Certificates;

/// <summary>
/// A certificate authority made at start (ECDSA P-256, valid for a day) that issues the emulator's server certificates: one for
/// ARM and Entra ID on 127.0.0.1, and one per App Service host name the forward proxy terminates TLS for. In-process clients
/// trust it through <see cref="Validate"/>; a child process through <see cref="WriteTrustBundle"/> and <c>SSL_CERT_FILE</c>.
/// </summary>
/// <remarks>Validity uses the real clock: TLS stacks check it against the machine's time, not the emulator's.</remarks>
public sealed class EmulatorCertificateAuthority : IDisposable
{
    // Where Debian/Ubuntu keep the system roots (ca-certificates); a trust bundle starts with them.
    private static readonly string[] SystemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"];

    private readonly ConcurrentDictionary<string, X509Certificate2> _issued = new(StringComparer.OrdinalIgnoreCase);
    private readonly X509Certificate2 _authority;

    public EmulatorCertificateAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ZdPipelines Azure emulator CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        _authority = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        Certificate = X509CertificateLoader.LoadCertificate(_authority.RawData);
    }

    /// <summary>The CA certificate, public part only.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate in PEM.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>A server certificate for <paramref name="host"/> (a DNS name or an IP address), issued once and cached.</summary>
    public X509Certificate2 ServerCertificate(string host) => _issued.GetOrAdd(host, Issue);

    /// <summary>
    /// Writes the system's root certificates followed by this CA to <paramref name="path"/>: point <c>SSL_CERT_FILE</c> of a child
    /// process at it and it trusts the emulator and everything it trusted before (.NET on Linux reads roots through OpenSSL).
    /// </summary>
    public void WriteTrustBundle(string path)
    {
        var bundle = new StringBuilder();
        if (SystemBundles.FirstOrDefault(File.Exists) is { } system)
        {
            bundle.Append(File.ReadAllText(system).TrimEnd()).Append('\n');
        }

        bundle.Append(CertificatePem).Append('\n');
        File.WriteAllText(path, bundle.ToString());
    }

    /// <summary>A TLS validation callback that accepts exactly the certificates this CA issued for the host being called.</summary>
    public bool Validate(object? sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(Certificate);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }

    private X509Certificate2 Issue(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        // Within the CA's own validity, which a leaf may not outlast.
        using var issued = request.Create(_authority, _authority.NotBefore.ToUniversalTime(), _authority.NotAfter.ToUniversalTime(), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // A PKCS#12 round trip gives a certificate whose key SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        foreach (var certificate in _issued.Values)
        {
            certificate.Dispose();
        }

        _authority.Dispose();
        Certificate.Dispose();
    }
}
