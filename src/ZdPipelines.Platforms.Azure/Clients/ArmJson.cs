using System.Globalization;
using System.Text.Json;

namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>
/// Tolerant readers for ARM bodies: a missing member, a JSON null or a member of another type is "absent", never an exception,
/// because ARM adds and omits optional members freely. Names are matched exactly (ARM's casing), dots walk nested objects.
/// </summary>
internal static class ArmJson
{
    public static JsonElement? Member(JsonElement element, string path)
    {
        var current = element;
        foreach (var name in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out var next) || next.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? String(JsonElement element, string path) =>
        Member(element, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool? Bool(JsonElement element, string path) =>
        Member(element, path) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    public static double? Double(JsonElement element, string path) =>
        Member(element, path) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    public static int? Int(JsonElement element, string path) =>
        Member(element, path) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var i) ? i : null;

    public static DateTimeOffset? Time(JsonElement element, string path) =>
        String(element, path) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    public static IReadOnlyList<string> Strings(JsonElement element, string path) =>
        Member(element, path) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    public static IReadOnlyList<JsonElement> Objects(JsonElement element, string path) =>
        Member(element, path) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList()
            : [];

    public static IReadOnlyDictionary<string, string> StringMap(JsonElement element, string path) =>
        Member(element, path) is { ValueKind: JsonValueKind.Object } map
            ? map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
