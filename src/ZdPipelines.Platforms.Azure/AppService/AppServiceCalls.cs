using Azure.Core;
using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Azure.Clients;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// Runs the platform's ARM calls and turns their failures into one <see cref="PlatformException"/> a user can act on, naming
/// the spec field behind a resource ARM did not find: the subscription, the resource group, the app, the slot. A missing role
/// assignment keeps the client's message, which names the denied action and the scope.
/// </summary>
internal sealed class AppServiceCalls(string subscriptionId, string slot)
{
    private const string Block = "platform.azureAppService";

    public async Task<T> RunAsync<T>(Func<Task<T>> call, WebApp app)
    {
        try
        {
            return await call();
        }
        catch (ArmRequestFailedException e)
        {
            throw Translate(e, app);
        }
        catch (AzureCredentialException e)
        {
            throw new PlatformException(e.Message, e);
        }
    }

    public Task RunAsync(Func<Task> call, WebApp app) => RunAsync(async () =>
    {
        await call();
        return true;
    }, app);

    public PlatformException Translate(ArmRequestFailedException e, WebApp app)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(app);
        var message = e.ErrorCode switch
        {
            "SubscriptionNotFound" =>
                $"subscription {subscriptionId} ({Block}.subscriptionId) was not found, or the identity zdp signs in as has no role in it. " +
                "Fix: check subscriptionId (`az account list --query \"[].id\"` lists those you can use) and the identity's role assignments.",
            "ResourceGroupNotFound" =>
                $"resource group '{app.ResourceGroup}' was not found in subscription {subscriptionId}. Fix: check {Block}.resourceGroup (or the group written in apps).",
            _ when e.IsNotFound && IsSlot(e.ResourceId) =>
                $"web app '{app.Name}' has no deployment slot '{slot}'. Fix: create it (`az webapp deployment slot create -g {app.ResourceGroup} -n {app.Name} --slot {slot}`) " +
                $"and deploy the new version to it, or set {Block}.slot to the slot that holds it.",
            _ when e.IsNotFound && e.ResourceId.Contains("/providers/Microsoft.Web/sites/", StringComparison.OrdinalIgnoreCase) =>
                $"web app '{app.Name}' was not found in resource group '{app.ResourceGroup}' of subscription {subscriptionId}. Fix: check {Block}.app (or apps) and resourceGroup.",
            _ => e.Message,
        };
        var kind = e.ErrorCode is "SubscriptionNotFound" or "ResourceGroupNotFound" || e.IsNotFound ? PlatformErrorKind.NotFound : PlatformErrorKind.Failure;
        return new PlatformException(message, kind, e);
    }

    private static bool IsSlot(string resourceId) => resourceId.Contains("/slots/", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One web app of the spec: its name, resource group, and the resource ids of its site and of the deployment slot.</summary>
internal sealed record WebApp(string Name, string ResourceGroup, ResourceIdentifier SiteId, ResourceIdentifier SlotId);
