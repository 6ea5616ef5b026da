namespace ZdPipelines.Hosts.AzureDevOps.ServiceConnections;

/// <summary>A service connection the task cannot use, or an ID token it could not get. The message says what to change, and holds no secret.</summary>
internal sealed class ServiceConnectionException : Exception
{
    public ServiceConnectionException()
    {
    }

    public ServiceConnectionException(string message)
        : base(message)
    {
    }

    public ServiceConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
