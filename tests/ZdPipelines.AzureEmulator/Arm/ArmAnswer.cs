using System.Text.Json.Nodes;

namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>What the emulator answers one ARM request with.</summary>
internal sealed record ArmAnswer(int Status, JsonNode? Body = null)
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ArmAnswer With(string header, string value)
    {
        Headers[header] = value;
        return this;
    }

    /// <summary>
    /// ARM's error envelope <c>{"error":{"code","message"}}</c>: App Service <c>DefaultErrorResponse</c>, Resources
    /// <c>CloudError</c> and ARM's own front-door errors (authentication, authorization, throttling) all have this shape.
    /// </summary>
    public static ArmAnswer Error(int status, string code, string message) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    /// <summary>The flat common-types v1 <c>ErrorResponse</c> <c>{"code","message"}</c> that Metrics_List declares as its default.</summary>
    public static ArmAnswer FlatError(int status, string code, string message) =>
        new(status, new JsonObject { ["code"] = code, ["message"] = message });
}
