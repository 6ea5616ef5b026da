using System.Diagnostics;
using ZdPipelines.AzureEmulator;
using ZdPipelines.AzureEmulator.Authorization;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

/// <summary>
/// The zdp process itself against the emulator, on the real clock: its own Azure.Identity client-secret credential from an
/// environment variable, its own ARM clients, and its http gate and health probes reaching App Service host names through
/// the emulator's proxy (HTTPS_PROXY) with the emulator's CA trusted (SSL_CERT_FILE), as in a CI job.
/// </summary>
public sealed class AppServiceCliTests
{
    private const string Subscription = "4a3e7c1d-0000-4000-8000-0000000000a1";
    private const string SecretVariable = "ZDP_TEST_CLIENT_SECRET";

    [Fact]
    public async Task Zdp_deploys_a_blue_green_swap_and_a_second_zdp_rolls_it_back_with_one_swap()
    {
        await using var emulator = await ArmEmulator.StartAsync(new ArmEmulatorOptions
        {
            SwapDuration = TimeSpan.FromSeconds(2),
            OperationRetryAfter = TimeSpan.FromSeconds(1),
            HealthPath = "/health",
        });
        var app = emulator.AddWebApp(Subscription, "rg-shop", "shop-api", "v1");
        app.AddSlot("staging", "v2");
        var principal = emulator.AddServicePrincipal(EmulatedRole.Contributor, $"/subscriptions/{Subscription}", secret: "s3cret-of-the-test-principal");
        var directory = Directory.CreateTempSubdirectory("zdp-azure-cli-");
        try
        {
            var endpoint = emulator.Endpoint.GetLeftPart(UriPartial.Authority);
            var spec = Path.Combine(directory.FullName, "zdp.yml");
            await File.WriteAllTextAsync(spec, $$"""
                name: shop-api
                platform:
                  type: azureAppService
                  azureAppService:
                    subscriptionId: {{Subscription}}
                    resourceGroup: rg-shop
                    app: shop-api
                    healthPath: /health
                    resourceManagerEndpoint: {{endpoint}}
                    authorityHost: {{endpoint}}
                    credentials: { tenantId: {{emulator.TenantId}}, clientId: {{principal.ClientId}}, clientSecretVariable: {{SecretVariable}} }
                strategy:
                  blueGreen: { preSwitchGates: [slot-health], postSwitchGates: [errors], bake: 0s }
                gates:
                  - name: slot-health
                    http: { url: "{preview}/health", probes: 3, expectStatus: 200 }
                    condition: ">= 1"
                    count: 1
                  - name: errors
                    azureMonitor: { preset: http5xxRate, side: candidate, window: 1m }
                    condition: "< 0.05"
                    count: 1
                    noData: pass

                """);
            var environment = new Dictionary<string, string>(emulator.ChildProcessEnvironment(Path.Combine(directory.FullName, "ca-bundle.pem")))
            {
                [SecretVariable] = principal.Secret!,
            };

            var deploy = await ZdpAsync(environment, "deploy", "-f", spec, "--output", "plain");

            Assert.True(deploy.ExitCode == 0, deploy.Output);
            Assert.Equal(("v2", "v1"), (app.Production.Version, app.Slot("staging").Version));
            Assert.Contains(emulator.DataPlaneRequests, r => r.Host == app.Slot("staging").HostName && r.Path == "/health");

            var rollback = await ZdpAsync(environment, "rollback", "-f", spec, "--output", "plain");

            Assert.True(rollback.ExitCode == 0, rollback.Output);
            Assert.Equal(("v1", "v2"), (app.Production.Version, app.Slot("staging").Version));
            Assert.Equal(2, app.Swaps.Count);
            Assert.DoesNotContain(principal.Secret!, deploy.Output + rollback.Output, StringComparison.Ordinal);
            Assert.Empty(emulator.Violations);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> ZdpAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zdp.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
    }
}
