using System.Globalization;
using ZdPipelines.Bench;
using ZdPipelines.Core.Plans;

// `./build.sh Bench`: deployment speed against the floor the platform imposes, polls made, and
// requests failed through the real local proxy under load. Numbers, not assertions: see README.
// `--only appservice` runs only the App Service rows; `--only aws` only the AWS rows; `--only proxy` runs only the proxy's cost beside nginx's and the request log's; `--only request-log` the latter.
if (args is [ProxyBench.UpstreamMode])
{
    return await ProxyBench.ServeUpstreamAsync();
}

var culture = CultureInfo.InvariantCulture;
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

if (args is ["--only", "request-log"])
{
    RequestLogBench.Print();
    return 0;
}

if (args is ["--only", "proxy"])
{
    await ProxyBench.PrintAllAsync(cts.Token);
    return 0;
}

if (args is ["--only", "appservice"])
{
    await PrintAppServiceAsync(cts.Token);
    return 0;
}

if (args is ["--only", "aws"])
{
    await PrintAwsAsync(cts.Token);
    return 0;
}

// --image: only the container image (size, start to first platform call); it needs podman and takes minutes.
if (args.Contains("--image"))
{
    return await ImageBench.RunAsync(cts.Token);
}

Console.WriteLine("Simulated platform (ALB semantics, timings scaled: 1 s ≈ 10 ms), real clock");
Console.WriteLine();
Console.WriteLine($"{"scenario",-38} {"wall",9} {"floor",9} {"over",7} {"polls",6} {"changes",8} outcome");
foreach (var row in await SimulatedBench.RunAsync(cts.Token))
{
    var over = row.Floor > TimeSpan.Zero ? (row.Wall - row.Floor) / row.Floor : 0;
    Console.WriteLine(string.Create(culture,
        $"{row.Scenario,-38} {Durations.Format(row.Wall),9} {Durations.Format(row.Floor),9} {over,7:P0} {row.Polls,6} {row.Mutations,8} {row.Outcome}"));
}

Console.WriteLine();
Console.WriteLine("Local platform (YARP proxy, real upstreams, 4 concurrent synthetic clients)");
Console.WriteLine();
Console.WriteLine($"{"strategy",-12} {"faulty",6} {"outcome",-11} {"sent",7} {"failed",7} {"took",8}");
foreach (var row in await LocalBench.RunAsync(cts.Token))
{
    Console.WriteLine(string.Create(culture,
        $"{row.Strategy,-12} {row.Faulty,6} {row.Outcome,-11} {row.Sent,7} {row.Failed,7} {Durations.Format(row.Took),8}{(row.Reason is null ? "" : "  " + row.Reason)}"));
}

Console.WriteLine();
await PrintAwsAsync(cts.Token);

Console.WriteLine();
await PrintAppServiceAsync(cts.Token);

Console.WriteLine();
await ProxyBench.PrintAllAsync(cts.Token);

return 0;

static async Task PrintAppServiceAsync(CancellationToken cancellationToken)
{
    var culture = CultureInfo.InvariantCulture;
    Console.WriteLine("Azure App Service platform against the ARM emulator (swaps of 2 s, polled each second): ARM calls beside the minimum (the changes and one poll per second of swap), wall time over the floor");
    Console.WriteLine();
    Console.WriteLine($"{"scenario",-38} {"outcome",-9} {"calls",6} {"min",5} {"x min",6} {"wall",8} {"floor",8}  breakdown");
    foreach (var row in await AppServiceBench.RunAsync(cancellationToken))
    {
        Console.WriteLine(string.Create(culture,
            $"{row.Scenario,-38} {row.Outcome,-9} {row.Calls,6} {row.Minimum,5} {row.Calls / (double)row.Minimum,6:0.0} {Durations.Format(row.Wall),8} {Durations.Format(row.Floor),8}  {row.Breakdown}"));
    }
}

static async Task PrintAwsAsync(CancellationToken cancellationToken)
{
    var culture = CultureInfo.InvariantCulture;
    Console.WriteLine("AWS ALB platform against moto_server: API calls made, beside the issue's minimum (the changes, one DescribeTargetHealth per wait) and the safe minimum (that, plus lease, journal and guards: README)");
    Console.WriteLine();
    Console.WriteLine($"{"scenario",-38} {"outcome",-9} {"calls",6} {"issue",6} {"x",5} {"safe",5} {"x",5}  breakdown");
    var rows = await AwsBench.RunAsync(cancellationToken);
    foreach (var row in rows)
    {
        Console.WriteLine(string.Create(culture,
            $"{row.Scenario,-38} {row.Outcome,-9} {row.Calls,6} {row.IssueMinimum,6} {row.Calls / (double)row.IssueMinimum,5:0.0} {row.Minimum,5} {row.Calls / (double)row.Minimum,5:0.00}  {row.Breakdown}"));
    }

    foreach (var row in rows)
    {
        Console.WriteLine();
        Console.WriteLine($"{row.Scenario}: calls per action (made / safe minimum)");
        foreach (var (action, made) in row.ByAction)
        {
            Console.WriteLine(string.Create(culture, $"  {action,-32} {made,5} {row.MinimumByAction.GetValueOrDefault(action),5}"));
        }
    }
}
