using ZdPipelines.Platforms.Local;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Core.Spec;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ZdPipelines.Platforms.Local.Hosting;
using ZdPipelines.Platforms.Local.Proxy;

namespace ZdPipelines.Bench;

/// <summary>
/// What zdp's local proxy costs: the same static upstream (a fixed body with a Content-Length, from Kestrel in its own
/// process) loaded by the same load generator (wrk) directly, through zdp's proxy and through nginx as a reverse
/// proxy, all on loopback.
/// Throughput is what the machine delivers with wrk, proxy and upstream sharing its cores; CPU per request is the
/// proxy process's own CPU time over the requests it served, the figure that does not depend on how they shared.
/// </summary>
/// <remarks>
/// No pinning: wrk (one thread), the proxy and the upstream share every core as the OS schedules them. nginx runs one
/// worker (worker_processes 1, master_process off, so one process does all the work) against zdp's one process,
/// doing the same job as zdp's proxy: keep-alive to the upstream (nginx's default opens a connection per request)
/// and the X-Forwarded-For, -Proto and -Host headers YARP's default transformer adds.
/// </remarks>
internal static partial class ProxyBench
{
    /// <summary>The child-process mode of the bench executable that serves as the static upstream.</summary>
    public const string UpstreamMode = "static-upstream";

    /// <summary>Long enough for wrk's rate to settle; short enough that every round of three rows takes 15 s.</summary>
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    /// <summary>An odd number of rounds, so that each figure is the median run, not an average of outliers.</summary>
    private const int Rounds = 3;

    /// <summary>JIT and connection pools warm up before the measured run, as they would in a long-lived proxy.</summary>
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);

    /// <summary>Enough concurrent connections to keep every process busy on two cores.</summary>
    private const int Connections = 32;

    public sealed record Row(
        string Scenario,
        double RequestsPerSecond,
        long Requests,
        long Failed,
        double? ProxyCpuMicrosPerRequest,
        double UpstreamCpuMicrosPerRequest,
        double? AllocatedBytesPerRequest,
        double? RetainedBytesPerRequest);

    public sealed record Result(IReadOnlyList<Row> Rows, IReadOnlyList<string> Notes);

    /// <summary>
    /// Runs in the child process: a static upstream on a free port of 127.0.0.1, its URL on stdout, until stdin closes.
    /// Every path answers the same 18 bytes with a Content-Length, as a static file server does, health checks too.
    /// </summary>
    public static async Task<int> ServeUpstreamAsync()
    {
        var body = "hello from static\n"u8.ToArray();
        ListenOptions? bound = null;
        var builder = EmbeddedHost.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => bound = listen));
        await using var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
        await app.StartAsync();
        Console.WriteLine($"http://127.0.0.1:{bound!.IPEndPoint!.Port}/");
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    public static async Task PrintAsync(CancellationToken cancellationToken)
    {
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine($"Local proxy cost: one static upstream on loopback, wrk -t1 -c{Connections} for {Duration.TotalSeconds:0} s, median of {Rounds} interleaved rounds after {Warmup.TotalSeconds:0} s of warm-up, no pinning ({Environment.ProcessorCount} cores)");
        if (File.Exists("/proc/loadavg"))
        {
            // Other work on the machine shows in every figure; the load says how much there was.
            Console.WriteLine($"load average before: {string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ').Take(3))}");
        }

        Console.WriteLine();
        var result = await RunAsync(cancellationToken);
        foreach (var note in result.Notes)
        {
            Console.WriteLine("note: " + note);
        }

        if (result.Rows.Count == 0)
        {
            return;
        }

        var direct = result.Rows[0].RequestsPerSecond;
        var nginx = result.Rows.FirstOrDefault(r => r.Scenario.Contains("nginx", StringComparison.Ordinal));
        Console.WriteLine($"{"scenario",-26} {"req/s",9} {"×direct",8} {"×nginx",8} {"failed",6} {"proxy µs/req",12} {"×nginx",8} {"upstream µs/req",15} {"alloc B/req",11} {"kept B/req",10}");
        foreach (var row in result.Rows)
        {
            var vsNginx = nginx is null ? "" : string.Create(culture, $"{row.RequestsPerSecond / nginx.RequestsPerSecond:0.00}");
            var cpuVsNginx = nginx?.ProxyCpuMicrosPerRequest is { } n && row.ProxyCpuMicrosPerRequest is { } p ? string.Create(culture, $"{p / n:0.00}") : "";
            Console.WriteLine(string.Create(culture,
                $"{row.Scenario,-26} {row.RequestsPerSecond,9:0} {row.RequestsPerSecond / direct,8:0.00} {vsNginx,8} {row.Failed,6} {Format(row.ProxyCpuMicrosPerRequest),12} {cpuVsNginx,8} {row.UpstreamCpuMicrosPerRequest,15:0.0} {Format(row.AllocatedBytesPerRequest),11} {Format(row.RetainedBytesPerRequest),10}"));
        }

        static string Format(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "";
    }

    /// <summary>The proxy rows, then the request log that metric gates read, on its own.</summary>
    public static async Task PrintAllAsync(CancellationToken cancellationToken)
    {
        await PrintAsync(cancellationToken);
        Console.WriteLine();
        RequestLogBench.Print();
    }

    public static async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var wrk = FindOnPath("wrk");
        if (wrk is null)
        {
            notes.Add("wrk not found on PATH: proxy rows skipped (Debian: apt-get install -y wrk nginx).");
            return new Result([], notes);
        }

        var nginx = FindOnPath("nginx") ?? (File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null);
        if (nginx is null)
        {
            notes.Add("nginx not found on PATH or in /usr/sbin: the nginx row is skipped (Debian: apt-get install -y nginx).");
        }

        using var upstream = await UpstreamProcess.StartAsync(cancellationToken);
        await using var zdp = await StartZdpProxyAsync(upstream.Url, cancellationToken);
        using var proxy = nginx is null ? null : await NginxProxy.StartAsync(nginx, upstream.Url, cancellationToken);
        var scenarios = new List<Scenario>
        {
            new("upstream directly", upstream.Url, null, InProcess: false),
            new("through zdp's proxy", zdp.Address, Process.GetCurrentProcess(), InProcess: true),
        };
        if (proxy is not null)
        {
            scenarios.Add(new("through nginx (1 worker)", proxy.Address, proxy.Process, InProcess: false));
        }

        foreach (var scenario in scenarios)
        {
            await RunWrkAsync(wrk, scenario.Address, Warmup, cancellationToken);
        }

        // Rounds interleave the scenarios so that a slow patch of a shared machine hits all of them alike; each
        // figure is the median of its rounds.
        var runs = scenarios.ToDictionary(s => s, _ => new List<Row>());
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var scenario in scenarios)
            {
                runs[scenario].Add(await MeasureAsync(scenario, wrk, upstream.Process, cancellationToken));
            }
        }

        return new Result([.. scenarios.Select(s => Median(runs[s]))], notes);
    }

    private sealed record Scenario(string Name, Uri Address, Process? Proxy, bool InProcess);

    private static Row Median(List<Row> rows) => new(
        rows[0].Scenario,
        Middle(rows.Select(r => (double?)r.RequestsPerSecond))!.Value,
        rows.Sum(r => r.Requests),
        rows.Sum(r => r.Failed),
        Middle(rows.Select(r => r.ProxyCpuMicrosPerRequest)),
        Middle(rows.Select(r => (double?)r.UpstreamCpuMicrosPerRequest))!.Value,
        Middle(rows.Select(r => r.AllocatedBytesPerRequest)),
        Middle(rows.Select(r => r.RetainedBytesPerRequest)));

    private static double? Middle(IEnumerable<double?> values) => values.Order().ToList() is var sorted && sorted[0] is null ? null : sorted[sorted.Count / 2];

    private static async Task<LocalProxy> StartZdpProxyAsync(Uri upstream, CancellationToken cancellationToken)
    {
        var proxy = new LocalProxy(
            new LocalProxyOptions
            {
                Listen = "127.0.0.1:0",
                HealthCheck = new HealthCheckSpec { Interval = TimeSpan.FromMilliseconds(200), HealthyThreshold = 2 },
            },
            TimeProvider.System);
        proxy.AddDestination("stable-1", Side.Stable, upstream);
        await proxy.StartAsync(cancellationToken);
        var deadline = Stopwatch.StartNew();
        while (proxy.State().Destinations.Any(d => d.Health != TargetHealth.Healthy))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException("zdp's proxy did not see the static upstream healthy within 10 s.");
            }

            await Task.Delay(20, cancellationToken);
        }

        return proxy;
    }

    private static async Task<Row> MeasureAsync(Scenario scenario, string wrk, Process upstream, CancellationToken cancellationToken)
    {
        var (address, proxy, inProcess) = (scenario.Address, scenario.Proxy, scenario.InProcess);
        // Retained bytes: what the heap keeps after a full collection, so per-request records show and garbage does not.
        var retainedBefore = inProcess ? GC.GetTotalMemory(forceFullCollection: true) : 0;
        var allocatedBefore = inProcess ? GC.GetTotalAllocatedBytes(precise: true) : 0;
        var proxyCpuBefore = Cpu(proxy);
        var upstreamCpuBefore = Cpu(upstream);
        var run = await RunWrkAsync(wrk, address, Duration, cancellationToken);
        var proxyCpu = Cpu(proxy) - proxyCpuBefore;
        var upstreamCpu = Cpu(upstream) - upstreamCpuBefore;
        double? allocated = inProcess ? (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)run.Requests : null;
        double? retained = inProcess ? (GC.GetTotalMemory(forceFullCollection: true) - retainedBefore) / (double)run.Requests : null;

        return new Row(
            scenario.Name,
            run.RequestsPerSecond,
            run.Requests,
            run.Failed,
            proxy is null ? null : proxyCpu.TotalMicroseconds / run.Requests,
            upstreamCpu.TotalMicroseconds / run.Requests,
            allocated,
            retained);
    }

    private static TimeSpan Cpu(Process? process)
    {
        if (process is null)
        {
            return TimeSpan.Zero;
        }

        process.Refresh();
        return process.TotalProcessorTime;
    }

    private sealed record WrkRun(double RequestsPerSecond, long Requests, long Failed);

    private static async Task<WrkRun> RunWrkAsync(string wrk, Uri address, TimeSpan duration, CancellationToken cancellationToken)
    {
        var seconds = ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(wrk, ["-t1", $"-c{Connections}", $"-d{seconds}s", address.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start wrk.");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var rate = RequestsPerSecondLine().Match(output);
        var total = TotalLine().Match(output);
        if (process.ExitCode != 0 || !rate.Success || !total.Success)
        {
            throw new InvalidOperationException($"wrk against {address} failed (exit {process.ExitCode}): {output}{errors}");
        }

        var failed = NonSuccessLine().Match(output) is { Success: true } non ? long.Parse(non.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (SocketErrorsLine().Match(output) is { Success: true } socket)
        {
            failed += socket.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture));
        }

        return new WrkRun(
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            failed);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The bench executable again, in <see cref="UpstreamMode"/>: the upstream's CPU is its own process's.</summary>
    private sealed class UpstreamProcess : IDisposable
    {
        private UpstreamProcess(Process process, Uri url)
        {
            Process = process;
            Url = url;
        }

        public Process Process { get; }

        public Uri Url { get; }

        public static async Task<UpstreamProcess> StartAsync(CancellationToken cancellationToken)
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("the bench cannot find its own executable.");
            var start = new ProcessStartInfo(self, [UpstreamMode]) { RedirectStandardInput = true, RedirectStandardOutput = true };
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the static upstream.");
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken);
            if (line is null || !Uri.TryCreate(line.Trim(), UriKind.Absolute, out var url))
            {
                process.Kill();
                process.Dispose();
                throw new InvalidOperationException($"the static upstream did not report its URL (said '{line}').");
            }

            return new UpstreamProcess(process, url);
        }

        public void Dispose()
        {
            Process.StandardInput.Close();
            if (!Process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                Process.Kill();
            }

            Process.Dispose();
        }
    }

    /// <summary>nginx as a reverse proxy to the same upstream, its config and temp files in a directory of its own.</summary>
    private sealed class NginxProxy : IDisposable
    {
        private readonly string _directory;

        private NginxProxy(Process process, Uri address, string directory)
        {
            Process = process;
            Address = address;
            _directory = directory;
        }

        public Process Process { get; }

        public Uri Address { get; }

        public static async Task<NginxProxy> StartAsync(string nginx, Uri upstream, CancellationToken cancellationToken)
        {
            var directory = Directory.CreateTempSubdirectory("zdp-bench-nginx-").FullName;
            var port = FreePort();
            File.WriteAllText(Path.Combine(directory, "nginx.conf"), string.Create(CultureInfo.InvariantCulture, $$"""
                daemon off;
                master_process off;
                worker_processes 1;
                pid {{directory}}/nginx.pid;
                error_log {{directory}}/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path {{directory}}/client_body;
                    proxy_temp_path {{directory}}/proxy;
                    fastcgi_temp_path {{directory}}/fastcgi;
                    uwsgi_temp_path {{directory}}/uwsgi;
                    scgi_temp_path {{directory}}/scgi;
                    upstream app {
                        server {{upstream.Host}}:{{upstream.Port}};
                        keepalive 64;
                    }
                    server {
                        listen 127.0.0.1:{{port}};
                        location / {
                            proxy_pass http://app;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header X-Forwarded-Host $http_host;
                        }
                    }
                }
                """));
            var start = new ProcessStartInfo(nginx, ["-p", directory, "-e", Path.Combine(directory, "error.log"), "-c", Path.Combine(directory, "nginx.conf")])
            {
                RedirectStandardError = true,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx.");
            var address = new Uri($"http://127.0.0.1:{port}/");
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(address, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        return new NginxProxy(process, address, directory);
                    }
                }
                catch (HttpRequestException) when (!process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(10))
                {
                    // Not listening yet.
                }

                if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
                {
                    var error = process.HasExited ? await process.StandardError.ReadToEndAsync(cancellationToken) : "no answer within 10 s";
                    process.Dispose();
                    throw new InvalidOperationException($"nginx did not start: {error}");
                }

                await Task.Delay(50, cancellationToken);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit();
            }

            Process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
