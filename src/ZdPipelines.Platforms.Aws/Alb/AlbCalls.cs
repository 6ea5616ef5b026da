using ZdPipelines.Core.Platforms;
using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Alb;

/// <summary>
/// Runs AWS calls for the ALB platform and turns their failures into one message a user can act on: a resource
/// that does not exist is named with the spec field it came from and the fix; permission and credential errors keep
/// the client's message, which already names the IAM action and the credentials' source.
/// </summary>
internal sealed class AlbCalls(string region, IReadOnlyDictionary<string, string> fieldOf)
{
    public async Task<T> RunAsync<T>(Func<Task<T>> call, string resource)
    {
        try
        {
            return await call();
        }
        catch (AwsServiceException e)
        {
            throw Translate(e, resource);
        }
        catch (AwsCredentialsException e)
        {
            throw new PlatformException($"no usable AWS credentials: {e.Message}", e);
        }
    }

    public async Task RunAsync(Func<Task> call, string resource) =>
        await RunAsync(async () =>
        {
            await call();
            return true;
        }, resource);

    public PlatformException Translate(AwsServiceException e, string resource)
    {
        var field = fieldOf.TryGetValue(resource, out var f) ? $" (platform.awsAlb.{f})" : "";
        return e.Code switch
        {
            "ListenerNotFound" => new PlatformException(
                $"listener {resource}{field} was not found in {region}. Fix: check the ARN and the region; `aws elbv2 describe-listeners --listener-arns {resource}` must find it.", PlatformErrorKind.NotFound, e),
            "RuleNotFound" => new PlatformException(
                $"listener rule {resource}{field} was not found in {region}. Fix: check the ARN; `aws elbv2 describe-rules --rule-arns {resource}` must find it.", PlatformErrorKind.NotFound, e),
            "TargetGroupNotFound" => new PlatformException(
                $"target group {resource}{field} was not found in {region}. Fix: check the ARN; `aws elbv2 describe-target-groups --target-group-arns {resource}` must find it.", PlatformErrorKind.NotFound, e),
            "LoadBalancerNotFound" => new PlatformException(
                $"the load balancer of {resource}{field} was not found in {region}. Fix: check the ARN and the region.", PlatformErrorKind.NotFound, e),
            _ => new PlatformException(e.Message, e),
        };
    }
}
