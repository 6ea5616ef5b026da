using System.Text.Json;
using System.Text.RegularExpressions;
using ZdPipelines.AzureEmulator.Authorization;
using ZdPipelines.Cli;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec.Reading;
using ZdPipelines.Core.Tests.Spec;
using ZdPipelines.Platforms.Azure.Clients;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AppService;

/// <summary>docs/azure.md and examples/azure-*.yml hold to the code: the examples plan against the emulator, and the custom role lists exactly the actions zdp calls.</summary>
public sealed partial class AppServiceDocsTests
{
    [GeneratedRegex(@"^\s*credentials:.*$\n", RegexOptions.Multiline)]
    private static partial Regex CredentialsLine();

    [GeneratedRegex(@"```json\n(\{.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    public static TheoryData<string> Examples => ["azure-blue-green.yml", "azure-canary.yml", "azure-rolling.yml"];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Each_azure_example_plans_against_the_emulator_and_changes_nothing(string example)
    {
        await using var bed = await AppServiceTestBed.StartAsync();
        bed.AddApp("shop-weu", "rg-weu");
        bed.AddApp("shop-neu", "rg-neu");
        var endpoint = bed.Emulator.Endpoint.GetLeftPart(UriPartial.Authority);
        // The examples sign in with federated or secret credentials; here the emulator's endpoints and the bed's principal stand in.
        var text = CredentialsLine().Replace(RepositoryFiles.Read($"examples/{example}"), "")
            .Replace($"subscriptionId: {AzureTestBed.SubscriptionId}", $"subscriptionId: {AzureTestBed.SubscriptionId}\n    resourceManagerEndpoint: {endpoint}\n    authorityHost: {endpoint}", StringComparison.Ordinal);
        var read = SpecReader.Read(text, example, ZdpModules.All);
        Assert.True(read.IsValid, string.Join(Environment.NewLine, read.Errors));
        var spec = read.Spec!;
        var platform = bed.Platform(spec);

        var notes = await bed.Bed.DriveAsync(platform.VerifyAsync(PlatformUse.Inspect, CancellationToken.None));
        var plan = await bed.PlanAsync(spec, platform);

        Assert.NotEmpty(notes);
        Assert.NotEmpty(plan.Steps);
        Assert.NotEmpty(plan.Rollback);
        if (spec.Strategy.Rolling is not null)
        {
            Assert.Equal([["shop-weu"], ["shop-neu"]], plan.Steps.OfType<UpdateTargets>().Select(u => u.Targets.ToArray()));
        }
        else
        {
            Assert.Single(plan.Steps.OfType<SwitchTraffic>());
        }

        if (spec.Strategy.Canary is not null)
        {
            // swapWithPreview: production's settings go to the slot before any traffic does.
            Assert.IsType<PointPreview>(plan.Steps[1]);
        }

        Assert.DoesNotContain(bed.Bed.ArmRequests, r => r.Method != "GET");
    }

    [Fact]
    public async Task The_custom_role_in_docs_azure_md_lists_exactly_the_actions_zdp_calls_and_is_enough_for_every_strategy()
    {
        var actions = RoleActions();
        var actionOf = ArmOperationCatalog.All.ToDictionary(o => o.OperationId, o => o.Action, StringComparer.Ordinal);
        var called = new HashSet<string>(StringComparer.Ordinal);

        // A canary with swap with preview whose gate fails: preview, routing, metrics, then the rule back and the reset.
        await RunAsync("""
            strategy:
              canary: { steps: [ { setWeight: 20 }, { gate: requests } ] }
            gates:
              - { name: requests, azureMonitor: { preset: requests }, condition: "> 1000000", count: 1, noData: fail }

            """, preview: true, DeploymentOutcome.RolledBack);
        // A blue-green that swaps.
        await RunAsync("""
            strategy:
              blueGreen: { bake: 0s }

            """, preview: false, DeploymentOutcome.Promoted);

        Assert.Equal(actions.Order(StringComparer.Ordinal), called.Order(StringComparer.Ordinal));

        async Task RunAsync(string rest, bool preview, DeploymentOutcome expected)
        {
            await using var bed = await AppServiceTestBed.StartAsync();
            var deployer = bed.Emulator.AddServicePrincipal(EmulatedRole.Custom("zdp App Service deployer", [.. actions]), $"{AzureTestBed.SubscriptionScope}/resourceGroups/{AzureTestBed.ResourceGroup}");
            var spec = bed.Spec(rest, preview: preview);
            var platform = bed.Platform(spec, bed.Bed.ClientsFor(deployer));
            await bed.Bed.DriveAsync(platform.VerifyAsync(PlatformUse.Change, CancellationToken.None));

            var (result, _) = await bed.DeployAsync(spec, platform);

            Assert.Equal(expected, result.Outcome);
            var requests = bed.Bed.ArmRequests.Where(r => r.ClientId == deployer.ClientId && r.OperationId is { } id && id != "Poll").ToList();
            Assert.DoesNotContain(requests, r => r.Status == 403);
            called.UnionWith(requests.Select(r => actionOf[r.OperationId!]));
        }
    }

    private static IReadOnlyList<string> RoleActions()
    {
        var doc = RepositoryFiles.Read("docs/azure.md").ReplaceLineEndings("\n");
        var role = JsonBlock().Matches(doc).Select(m => JsonDocument.Parse(m.Groups[1].Value).RootElement)
            .Single(r => r.TryGetProperty("IsCustom", out var custom) && custom.GetBoolean());
        return [.. role.GetProperty("Actions").EnumerateArray().Select(a => a.GetString()!)];
    }
}
