using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>
/// A real moto_server on a free loopback port for the whole test collection. It is found as .ci/run finds it
/// (MOTO_SERVER, PATH, <c>pyenv which moto_server</c>, ~/.pyenv/shims/moto_server); a missing one FAILS the tests
/// with a message saying how to install it: AWS adapter tests never skip.
/// This file has no xunit in it: `./build.sh Bench` compiles it too (linked), so the benchmark finds and runs
/// moto_server exactly as the tests do. The xunit side is in MotoServer.Fixture.cs.
/// </summary>
public sealed partial class MotoServer
{
    /// <summary>moto_server's Flask app is up in about a second; a slow CI machine gets plenty more.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Queue<string> _lastOutput = new();
    private Process? _process;

    public Uri Endpoint { get; private set; } = null!;

    public string Executable { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        Executable = Locate();
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");

        // moto logs every request; the pipes must be drained or moto blocks once they fill.
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"moto_server ({Executable}) exited with code {_process.ExitCode} on port {port}. Last output:\n{LastOutput()}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(Endpoint, "moto-api/"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"moto_server ({Executable}) did not answer on {Endpoint} within {StartTimeout}. Last output:\n{LastOutput()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Forgets every resource in every service and region (moto's POST /moto-api/reset).</summary>
    public async Task ResetAsync()
    {
        using var response = await Http.PostAsync(new Uri(Endpoint, "moto-api/reset"), null);
        response.EnsureSuccessStatusCode();
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // The pyenv shim runs moto_server as a child: kill the whole tree.
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        Http.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// MOTO_SERVER, then PATH, then <c>pyenv which moto_server</c>, then ~/.pyenv/shims/moto_server: the same order as .ci/run.
    /// </summary>
    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable("MOTO_SERVER") is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"MOTO_SERVER is set to '{configured}', which does not exist.");
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "moto_server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (PyenvWhich() is { } viaPyenv)
        {
            return viaPyenv;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var shim = Path.Combine(home, ".pyenv", "shims", "moto_server");
        if (File.Exists(shim))
        {
            return shim;
        }

        throw new InvalidOperationException(
            "moto_server was not found (looked at MOTO_SERVER, PATH, `pyenv which moto_server` and ~/.pyenv/shims/moto_server). "
            + "The AWS client tests run against it: install it with pip install 'moto[server]==5.2.1', or set MOTO_SERVER to its path.");
    }

    private static string? PyenvWhich()
    {
        try
        {
            using var pyenv = Process.Start(new ProcessStartInfo("pyenv", ["which", "moto_server"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (pyenv is null)
            {
                return null;
            }

            var output = pyenv.StandardOutput.ReadToEnd().Trim();
            pyenv.WaitForExit();
            return pyenv.ExitCode == 0 && File.Exists(output) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no pyenv
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastOutput)
        {
            _lastOutput.Enqueue(line);
            while (_lastOutput.Count > 40)
            {
                _lastOutput.Dequeue();
            }
        }
    }

    private string LastOutput()
    {
        lock (_lastOutput)
        {
            return string.Join('\n', _lastOutput);
        }
    }
}
