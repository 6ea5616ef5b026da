using ZdPipelines.Core.Engine;

namespace ZdPipelines.Cli.Output;

/// <summary>
/// Shows what the engine reports while it works. The engine only emits events; how they look is
/// decided here, one renderer per <see cref="OutputMode"/>.
/// </summary>
internal interface IEventRenderer
{
    void Render(DeploymentEvent deploymentEvent);

    /// <summary>A line printed by a hook or command; <paramref name="source"/> names it.</summary>
    void Output(string source, string line);
}

internal static class EventRenderers
{
    public static IEventRenderer For(CommandOutput output, TimeProvider time) => output.Mode switch
    {
        OutputMode.Json => new JsonEventRenderer(output, time),
        OutputMode.Plain => new PlainEventRenderer(output, time),
        _ => new HumanEventRenderer(output),
    };
}
