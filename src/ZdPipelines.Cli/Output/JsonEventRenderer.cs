using System.Text.Json.Serialization;
using ZdPipelines.Core.Engine;

namespace ZdPipelines.Cli.Output;

/// <summary>One JSON object per line: the event itself, with its "event" discriminator.</summary>
internal sealed class JsonEventRenderer(CommandOutput output, TimeProvider time) : IEventRenderer
{
    public void Render(DeploymentEvent deploymentEvent) => output.Json(deploymentEvent, CliJson.Lines);

    // Hook output becomes an event too, so that stdout stays a pure JSON Lines stream.
    public void Output(string source, string line) =>
        output.Json(new OutputLine(time.GetUtcNow(), source, line), CliJson.Lines);

    private sealed record OutputLine(DateTimeOffset At, string Source, string Line)
    {
        [JsonPropertyOrder(-1)]
        public string Event { get; } = "output";
    }
}
