using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ZdPipelines.Cli.Output;

/// <summary>
/// The JSON zdp writes: camelCase names and enums as camelCase strings, so scripts read
/// "outcome": "rolledBack" rather than a number that means nothing outside this build.
/// </summary>
internal static class CliJson
{
    /// <summary>For a stream of events: one compact object per line (JSON Lines).</summary>
    public static readonly JsonSerializerOptions Lines = Create(indented: false);

    /// <summary>For a single document (`zdp plan`, `zdp status`): indented for people who read it too.</summary>
    public static readonly JsonSerializerOptions Document = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented) => new(JsonSerializerDefaults.Web)
    {
        WriteIndented = indented,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The output goes to terminals, logs and scripts, never into HTML: "'" stays "'", not \u0027.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
