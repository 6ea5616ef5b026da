namespace ZdPipelines.Core.Spec;

/// <summary>
/// Where the deployment happens: a platform type and that platform's own options. The platform module that
/// owns <see cref="Type"/> defines the options record, binds it from its block and validates it
/// (<see cref="Modules.IPlatformModule"/>); the core never looks inside.
/// </summary>
public sealed record PlatformSpec(string Type, PlatformOptions Options)
{
    /// <summary>The options as the module's own record type; throws when the spec was built for another platform.</summary>
    public T OptionsAs<T>()
        where T : PlatformOptions =>
        Options as T ?? throw new InvalidOperationException($"platform.type is {Type}, whose options are {Options.GetType().Name}, not {typeof(T).Name}");
}

/// <summary>The base of every platform's options record (the contents of its block under platform:).</summary>
public abstract record PlatformOptions;
