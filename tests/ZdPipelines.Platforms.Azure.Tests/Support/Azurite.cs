using System.Diagnostics;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Azure.Core.Pipeline;
using ZdPipelines.AzureEmulator.Certificates;

namespace ZdPipelines.Platforms.Azure.Tests.Support;

/// <summary>
/// Azurite, Microsoft's Azure Storage emulator (tools/node_modules, installed by `npm ci` in tools/ as .ci/run does), serving
/// the Blob service on a free loopback port over HTTPS with bearer tokens (<c>--oauth basic</c>: the token's issuer, audience
/// and lifetime are checked, its signature and role assignments are not), in memory. One per test collection; stopped after.
/// </summary>
/// <remarks>
/// Azurite's account is its well-known dev account, path-style: blobs are
/// <c>https://127.0.0.1:PORT/devstoreaccount1/CONTAINER/BLOB</c>. Its certificate comes from a CA of its own, which the
/// transport from <see cref="CreateHandler"/> trusts.
/// </remarks>
public sealed partial class Azurite : IAsyncLifetime, IDisposable
{
    public const string Account = "devstoreaccount1";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "zdp-azurite-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
    private readonly EmulatorCertificateAuthority _authority = new();
    private Process? _process;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The URL of <paramref name="blob"/> in <paramref name="container"/>.</summary>
    public Uri BlobUrl(string container, string blob) => new($"{Endpoint}{Account}/{container}/{blob}");

    /// <summary>A handler that trusts Azurite's certificate and nothing else.</summary>
    public SocketsHttpHandler CreateHandler() => new() { SslOptions = { RemoteCertificateValidationCallback = _authority.Validate }, UseCookies = false };

    public HttpClientTransport CreateTransport() => new(CreateHandler());

    public async Task InitializeAsync()
    {
        var executable = Path.Combine(RepositoryRoot(), "tools", "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-blob.cmd" : "azurite-blob");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Azurite (the Azure Storage emulator the blob lease tests run against) is not installed: {executable} is missing. Fix: run `cd tools && npm ci`.");
        }

        Directory.CreateDirectory(_directory);
        // The CA keeps the certificate it issued; it is disposed with the CA.
        var certificate = _authority.ServerCertificate("127.0.0.1");
        var certPath = Path.Combine(_directory, "cert.pem");
        var keyPath = Path.Combine(_directory, "key.pem");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        using (var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the emulator CA issued a certificate without an ECDSA key"))
        {
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--oauth", "basic", "--cert", certPath, "--key", keyPath, "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
            }

            if (Listening().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value + "/"));
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (output)
                {
                    output.Add(line);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != listening.Task)
        {
            Dispose();
            throw new InvalidOperationException("Azurite did not start listening within 60 s: " + string.Join(Environment.NewLine, output));
        }

        Endpoint = await listening.Task;
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Stops Azurite (and any child it started) and removes its directory.</summary>
    public void Dispose()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        _authority.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private static string RepositoryRoot()
    {
        // Tests run from bin/<configuration>/<tfm>; the solution file marks the repository root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ZdPipelines.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ZdPipelines.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"successfully listens on (https://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}

/// <summary>The tests that share one Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class SharedAzurite : ICollectionFixture<Azurite>
{
    public const string Name = "Azurite";
}
