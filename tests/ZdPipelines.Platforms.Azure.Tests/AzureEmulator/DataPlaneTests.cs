using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AzureEmulator;

public sealed class DataPlaneTests
{
    [Fact]
    public async Task Each_slot_host_answers_with_the_version_its_slot_holds()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = bed.DataPlaneClient();

        var production = await VersionAsync(http, $"https://{bed.App.Production.HostName}/");
        var staging = await VersionAsync(http, $"https://{bed.App.Slot("staging").HostName}/");
        var health = await http.GetStringAsync($"https://{bed.App.Slot("staging").HostName}/health");

        Assert.Equal(("v1", "v2", "healthy v2"), (production, staging, health));
    }

    [Fact]
    public async Task The_data_plane_listener_routes_by_the_Host_header_without_the_proxy()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, bed.Emulator.DataPlaneUri);
        request.Headers.Host = bed.App.Slot("staging").HostName;

        var response = await http.SendAsync(request);

        Assert.Equal("v2", response.Headers.GetValues("x-emulator-version").Single());
    }

    [Fact]
    public async Task Plain_http_through_the_proxy_reaches_the_data_plane_too()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = bed.DataPlaneClient();

        Assert.Equal("v1", await VersionAsync(http, $"http://{bed.App.Production.HostName}/"));
    }

    [Fact]
    public async Task A_ramp_up_rule_sends_its_percentage_of_new_clients_to_the_slot()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var staging = bed.App.Slot("staging");
        await bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([new RampUpRule { ActionHostName = staging.HostName, ReroutePercentage = 20, Name = "staging" }]));
        using var http = bed.DataPlaneClient(useCookies: false);

        var versions = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            versions.Add(await VersionAsync(http, $"https://{bed.App.Production.HostName}/"));
        }

        // 600 draws at p = 0.2: mean 120, sd ~9.8; the seeded Random makes the count repeatable, the bound is 5 sd wide.
        Assert.InRange(versions.Count(v => v == "v2"), 71, 169);
        Assert.All(bed.Emulator.DataPlaneRequests, r => Assert.Equal("rule", r.RoutedBy));
    }

    [Fact]
    public async Task The_routing_cookie_pins_a_client_to_the_slot_it_was_first_sent_to()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var staging = bed.App.Slot("staging");
        await bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([new RampUpRule { ActionHostName = staging.HostName, ReroutePercentage = 50, Name = "staging" }]));

        var pinned = new List<IReadOnlyList<string>>();
        for (var client = 0; client < 10; client++)
        {
            using var http = bed.DataPlaneClient(useCookies: true);
            var seen = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                seen.Add(await VersionAsync(http, $"https://{bed.App.Production.HostName}/"));
            }

            pinned.Add(seen);
        }

        Assert.All(pinned, seen => Assert.Single(seen.Distinct()));
        Assert.Contains(pinned, seen => seen[0] == "v1");
        Assert.Contains(pinned, seen => seen[0] == "v2");
    }

    [Fact]
    public async Task The_cookie_says_self_or_the_slot_name_and_lasts_an_hour()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = bed.DataPlaneClient();

        var toSlot = await http.GetAsync($"https://{bed.App.Production.HostName}/?x-ms-routing-name=staging");
        var toSelf = await http.GetAsync($"https://{bed.App.Production.HostName}/?x-ms-routing-name=self");

        Assert.Equal("x-ms-routing-name=staging; Max-Age=3600; Path=/", toSlot.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("x-ms-routing-name=self; Max-Age=3600; Path=/", toSelf.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal(("staging", "production"), (toSlot.Headers.GetValues("x-emulator-slot").Single(), toSelf.Headers.GetValues("x-emulator-slot").Single()));
    }

    [Fact]
    public async Task Manual_routing_reaches_a_slot_even_at_0_percent_and_the_cookie_keeps_it_there()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = bed.DataPlaneClient(useCookies: true);

        var first = await VersionAsync(http, $"https://{bed.App.Production.HostName}/?x-ms-routing-name=staging");
        var next = await VersionAsync(http, $"https://{bed.App.Production.HostName}/");

        Assert.Equal(("v2", "v2"), (first, next));
        Assert.Equal(["query", "cookie"], bed.Emulator.DataPlaneRequests.Select(r => r.RoutedBy));
    }

    [Fact]
    public async Task A_pinned_client_stays_on_the_slot_after_its_rule_is_removed()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var staging = bed.App.Slot("staging");
        await bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([new RampUpRule { ActionHostName = staging.HostName, ReroutePercentage = 100, Name = "staging" }]));
        using var pinnedClient = bed.DataPlaneClient(useCookies: true);
        Assert.Equal("v2", await VersionAsync(pinnedClient, $"https://{bed.App.Production.HostName}/"));

        await bed.Clients.WebApps.UpdateConfigurationAsync(bed.SiteId, new SiteConfigPatch([]));
        using var newClient = bed.DataPlaneClient(useCookies: true);

        // The caveat gates must allow for: the cookie outlives the rule (deploy-staging-slots.md: pinned "for one hour").
        Assert.Equal("v2", await VersionAsync(pinnedClient, $"https://{bed.App.Production.HostName}/"));
        Assert.Equal("v1", await VersionAsync(newClient, $"https://{bed.App.Production.HostName}/"));
    }

    [Fact]
    public async Task A_swap_changes_what_the_hosts_serve_only_when_it_completes()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = bed.DataPlaneClient();
        var production = $"https://{bed.App.Production.HostName}/";
        var staging = $"https://{bed.App.Slot("staging").HostName}/";

        var swap = await bed.Clients.WebApps.SwapSlotAsync(WaitUntil.Started, bed.SlotId, new CsmSlotEntity("production", true));
        bed.Time.Advance(TimeSpan.FromSeconds(29));
        var during = (await VersionAsync(http, production), await VersionAsync(http, staging));
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        var after = (await VersionAsync(http, production), await VersionAsync(http, staging));

        Assert.Equal(("v1", "v2"), during);
        Assert.Equal(("v2", "v1"), after);
        await swap.UpdateStatusAsync(CancellationToken.None);
        Assert.True(swap.HasCompleted);
    }

    [Fact]
    public async Task A_faulty_slot_fails_at_its_error_rate_and_a_stopped_one_answers_403()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var staging = bed.App.Slot("staging");
        staging.ErrorRate = 0.3;
        using var http = bed.DataPlaneClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            statuses.Add((await http.GetAsync($"https://{staging.HostName}/")).StatusCode);
        }

        staging.State = "Stopped";
        var stopped = await http.GetAsync($"https://{staging.HostName}/");

        // 200 draws at p = 0.3: mean 60, sd ~6.5.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.InternalServerError), 28, 92);
        Assert.Equal(HttpStatusCode.Forbidden, stopped.StatusCode);
    }

    [Fact]
    public async Task The_proxy_refuses_hosts_it_does_not_emulate_and_knows_no_unknown_app()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = bed.DataPlaneClient();

        var elsewhere = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("https://example.com/"));
        var unknownApp = await http.GetAsync("https://no-such-app.azurewebsites.net/");

        Assert.Contains("502", elsewhere.Message);
        Assert.Equal(HttpStatusCode.NotFound, unknownApp.StatusCode);
    }

    [Fact]
    public async Task ARM_is_reachable_through_the_proxy_by_a_loopback_tunnel()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = new HttpClient(bed.Emulator.CreateHttpHandler(viaProxy: true));

        var response = await http.GetAsync(new Uri(bed.Emulator.Endpoint, $"{bed.SiteId}?api-version=2025-03-01"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Tls_through_the_proxy_uses_a_certificate_for_the_host_from_the_emulator_CA()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var host = bed.App.Slot("staging").HostName;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, bed.Emulator.ProxyUri.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n"));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer);
        Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, read));
        System.Security.Cryptography.X509Certificates.X509Certificate? seen = null;
        await using var tls = new System.Net.Security.SslStream(stream, false, (_, certificate, chain, errors) =>
        {
            seen = certificate;
            return bed.Emulator.CertificateAuthority.Validate(null, certificate, chain, errors);
        });

        await tls.AuthenticateAsClientAsync(host);

        Assert.Equal($"CN={host}", seen!.Subject);
        Assert.Equal(bed.Emulator.CertificateAuthority.Certificate.Subject, seen.Issuer);
    }

    [Fact]
    public async Task A_child_process_gets_the_proxy_and_a_trust_bundle_with_the_emulator_CA()
    {
        await using var bed = await AzureTestBed.StartAsync();
        var bundle = Path.Combine(Path.GetTempPath(), $"zdp-azure-ca-{Guid.NewGuid():N}.pem");
        try
        {
            var environment = bed.Emulator.ChildProcessEnvironment(bundle);

            Assert.Equal(bed.Emulator.ProxyUri.ToString().TrimEnd('/'), environment["HTTPS_PROXY"]);
            Assert.Equal("127.0.0.1,localhost", environment["NO_PROXY"]);
            Assert.Contains(bed.Emulator.CertificateAuthority.CertificatePem.Trim(), File.ReadAllText(environment["SSL_CERT_FILE"]));
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    private static async Task<string> VersionAsync(HttpClient http, string url)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(url));
        return document.RootElement.GetProperty("version").GetString()!;
    }
}
