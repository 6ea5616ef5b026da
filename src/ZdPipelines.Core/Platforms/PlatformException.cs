namespace ZdPipelines.Core.Platforms;

/// <summary>
/// A platform failure already put into words a user can act on: what failed, on which resource, and the fix
/// (a listener that does not exist, a permission the credentials lack). The CLI prints the message as it is.
/// </summary>
public sealed class PlatformException : Exception
{
    public PlatformException()
    {
    }

    public PlatformException(string message)
        : base(message)
    {
    }

    public PlatformException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
