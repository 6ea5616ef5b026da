namespace ZdPipelines.Core.Gates;

/// <summary>
/// A platform that brings gate sources of its own, read with its own connection and credentials (CloudWatch
/// metrics and alarms for an AWS load balancer). The host adds them beside http and command.
/// </summary>
public interface IPlatformGateSources
{
    IReadOnlyList<IGateSource> GateSources(TimeProvider time);
}
