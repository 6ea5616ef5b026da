using System.Text.Json;
using System.Text.Json.Serialization;
using ZdPipelines.Core.Engine;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Hosts.GitHubActions.Session;

/// <summary>
/// Reads `zdp --output json` (docs/cli.md: camelCase, enums as camelCase strings, the engine's events field for
/// field) with source-generated metadata, so this works trimmed and under NativeAOT.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(DeploymentEvent))]
[JsonSerializable(typeof(PlanStep))]
[JsonSerializable(typeof(SpecError))]
[JsonSerializable(typeof(TimeSpan))]
internal sealed partial class CliEventJson : JsonSerializerContext;
