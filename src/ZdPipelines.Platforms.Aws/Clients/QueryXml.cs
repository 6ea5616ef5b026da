using System.Globalization;
using System.Xml.Linq;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// Reading Query-protocol XML as botocore's QueryParser does (botocore/parsers.py): elements are matched by local name
/// (the namespace differs per service and per emulator), lists are <c>&lt;member&gt;</c> children, maps are
/// <c>&lt;entry&gt;&lt;key/&gt;&lt;value/&gt;&lt;/entry&gt;</c>, and unknown elements are ignored.
/// </summary>
internal static class QueryXml
{
    public static XElement? Child(this XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(this XElement? parent, string name) => parent.Child(name)?.Value;

    public static int? Int(this XElement? parent, string name) =>
        parent.Text(name) is { Length: > 0 } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    public static double? Double(this XElement? parent, string name) =>
        parent.Text(name) is { Length: > 0 } text ? ParseDouble(text) : null;

    public static bool? Bool(this XElement? parent, string name) =>
        parent.Text(name) is { Length: > 0 } text ? string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) : null;

    public static DateTimeOffset? Timestamp(this XElement? parent, string name) =>
        parent.Text(name) is { Length: > 0 } text ? ParseTimestamp(text) : null;

    /// <summary>The <c>&lt;member&gt;</c> items of a list element; a missing or empty list gives none.</summary>
    public static IEnumerable<XElement> Members(this XElement? parent, string listName) =>
        parent.Child(listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    /// <summary>A list, or null when the element is absent (so "not sent" and "empty" stay apart on a round trip).</summary>
    public static IReadOnlyList<T>? List<T>(this XElement? parent, string listName, Func<XElement, T> read) =>
        parent.Child(listName) is null ? null : parent.Members(listName).Select(read).ToList();

    public static IReadOnlyList<string>? Strings(this XElement? parent, string listName) =>
        parent.List(listName, m => m.Value);

    public static double ParseDouble(string text) => text switch
    {
        // botocore's _handle_float writes these spellings for infinities and NaN.
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// The members of <paramref name="element"/> as flattened Query names relative to it, in document order, except
    /// those named in <paramref name="except"/>: the generic inverse of the response encoding, so a member this client
    /// does not model can be written back exactly as it was read. A <c>&lt;member&gt;</c> list becomes
    /// <c>Name.member.N</c>, an <c>&lt;entry&gt;</c> map <c>Name.entry.N.key/value</c>, and an empty element <c>Name=</c>,
    /// which is right both for an empty string and for an empty list.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Flatten(XElement element, params string[] except)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var child in element.Elements().Where(c => !except.Contains(c.Name.LocalName)))
        {
            FlattenInto(result, child.Name.LocalName, child);
        }

        return result;
    }

    private static void FlattenInto(Dictionary<string, string> result, string path, XElement element)
    {
        var children = element.Elements().ToList();
        if (children.Count == 0)
        {
            result[path] = element.Value;
            return;
        }

        var member = 0;
        var entry = 0;
        foreach (var child in children)
        {
            switch (child.Name.LocalName)
            {
                case "member":
                    FlattenInto(result, $"{path}.member.{++member}", child);
                    break;
                case "entry":
                    entry++;
                    result[$"{path}.entry.{entry}.key"] = child.Text("key") ?? string.Empty;
                    result[$"{path}.entry.{entry}.value"] = child.Text("value") ?? string.Empty;
                    break;
                default:
                    FlattenInto(result, $"{path}.{child.Name.LocalName}", child);
                    break;
            }
        }
    }
}
