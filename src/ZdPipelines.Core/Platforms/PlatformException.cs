namespace ZdPipelines.Core.Platforms;

/// <summary>
/// A platform failure already put into words a user can act on: what failed, on which resource, and the fix
/// (a listener that does not exist, a permission the credentials lack). Hosts print the message as it is; its
/// <see cref="Kind"/> picks the exit code.
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

    public PlatformException(string message, PlatformErrorKind kind, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public PlatformErrorKind Kind { get; } = PlatformErrorKind.Failure;
}

/// <summary>Whose the problem is: the platform's, or the spec's, found wrong by reading the platform.</summary>
public enum PlatformErrorKind
{
    /// <summary>The platform failed or refused (an outage, throttling past the retry budget, a missing permission): exit 3.</summary>
    Failure,

    /// <summary>A resource the spec names does not exist (a listener, target group, app, slot): exit 2.</summary>
    NotFound,

    /// <summary>The resources exist but are not shaped as the strategy needs (rolling on a listener forwarding to two groups): exit 5.</summary>
    Unsuitable,
}
