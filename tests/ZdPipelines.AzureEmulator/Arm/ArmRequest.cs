using System.Text.Json.Nodes;
using ZdPipelines.AzureEmulator.Identity;
using ZdPipelines.AzureEmulator.Swagger;

namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>One ARM request as the operation handlers see it: matched, checked, authenticated and authorized.</summary>
internal sealed record ArmRequest(
    SwaggerMatch Match,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    JsonNode? Body,
    TokenPrincipal Principal,
    Uri BaseUri,
    DateTimeOffset Now)
{
    public SwaggerOperation Operation => Match.Operation;

    public string? PathValue(string name) => Match.PathValues.GetValueOrDefault(name);
}
