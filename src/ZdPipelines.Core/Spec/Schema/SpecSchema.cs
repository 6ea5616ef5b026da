using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec.Reading;

namespace ZdPipelines.Core.Spec.Schema;

/// <summary>
/// The JSON Schema of zdp.yml (draft 2020-12) for editors, assembled from the core's own schema and the fragment
/// every platform and gate-source module brings. schema/zdp.schema.json is this output for the modules the zdp CLI
/// registers (`zdp schema` prints it; a test keeps the committed file equal).
/// </summary>
public static class SpecSchema
{
    private static readonly JsonSerializerOptions Output = new()
    {
        WriteIndented = true,
        // The schema is read by people too: "<" in a pattern or example stays "<", not "\u003C".
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Assemble(ModuleCatalog modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var root = Load(typeof(SpecSchema), "core.schema.json");
        var defs = root["$defs"]!.AsObject();

        var platform = defs["platform"]!.AsObject();
        var platformProperties = platform["properties"]!.AsObject();
        platformProperties["type"]!["enum"] = new JsonArray([.. modules.PlatformTypes.Select(t => JsonValue.Create(t))]);
        foreach (var module in modules.Platforms)
        {
            Merge(defs, module.Schema, module.Type, module.Type);
            platformProperties[module.Type] = Ref(module.Type);
        }

        platform["allOf"] = new JsonArray([.. modules.PlatformTypes.Select(type => OnlyBlockOf(type, modules.PlatformTypes))]);

        var gate = defs["gate"]!.AsObject();
        var keys = modules.AllGateSources.Select(s => s.Key).ToList();
        foreach (var source in modules.AllGateSources)
        {
            Merge(defs, source.Schema, $"{source.Key}Source", source.Key);
        }

        // The source blocks sit right after name, as zdp.yml's reference lists them.
        var fields = gate["properties"]!.AsObject().Select(p => (p.Key, Value: p.Value!.DeepClone())).ToList();
        var properties = new JsonObject();
        foreach (var (key, value) in fields.Take(1))
        {
            properties[key] = value;
        }

        foreach (var key in keys)
        {
            properties[key] = Ref($"{key}Source");
        }

        foreach (var (key, value) in fields.Skip(1))
        {
            properties[key] = value;
        }

        gate["description"] = $"A check that decides whether the deployment may go on: exactly one of {SpecValues.OneOf(keys)}.";
        gate["properties"] = properties;
        gate["oneOf"] = new JsonArray([.. keys.Select(k => (JsonNode)new JsonObject { ["required"] = new JsonArray(k) })]);
        return root.ToJsonString(Output).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>A schema fragment shipped as an embedded resource beside <paramref name="owner"/>, by file name.</summary>
    public static string ReadResource(Type owner, string fileName)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var name = owner.Assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{owner.Assembly.GetName().Name} embeds no {fileName}");
        using var stream = owner.Assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static JsonObject Load(Type owner, string fileName) => JsonNode.Parse(ReadResource(owner, fileName))!.AsObject();

    private static void Merge(JsonObject defs, string fragment, string required, string owner)
    {
        var fragmentDefs = JsonNode.Parse(fragment)?["$defs"]?.AsObject()
            ?? throw new InvalidOperationException($"the schema of {owner} has no $defs");
        if (!fragmentDefs.ContainsKey(required))
        {
            throw new InvalidOperationException($"the schema of {owner} defines no '{required}'");
        }

        foreach (var (name, value) in fragmentDefs)
        {
            if (!defs.TryAdd(name, value!.DeepClone()))
            {
                throw new InvalidOperationException($"the schema of {owner} defines '{name}', which is already defined");
            }
        }
    }

    private static JsonObject Ref(string def) => new() { ["$ref"] = $"#/$defs/{def}" };

    /// <summary>type: X requires the X block and forbids every other platform's block.</summary>
    private static JsonObject OnlyBlockOf(string type, IReadOnlyList<string> types)
    {
        var then = new JsonObject { ["required"] = new JsonArray(type) };
        var others = types.Where(t => t != type).ToList();
        if (others.Count > 0)
        {
            then["not"] = new JsonObject { ["anyOf"] = new JsonArray([.. others.Select(t => (JsonNode)new JsonObject { ["required"] = new JsonArray(t) })]) };
        }

        return new JsonObject
        {
            ["if"] = new JsonObject { ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = type } }, ["required"] = new JsonArray("type") },
            ["then"] = then,
        };
    }
}
