using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec.Reading;

/// <summary>
/// What reading a zdp.yml learnt besides the records: the problems of shape found on the way (each with its
/// position), where every path's key and value stand in the file (so the validator's problems, which know only
/// paths, get a line and a column), which values could not be read, and which mappings had unknown keys.
/// </summary>
internal sealed class SpecSource(string file)
{
    private readonly List<SpecError> _errors = [];
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unreadable = new(StringComparer.Ordinal);
    private readonly HashSet<string> _withUnknownKeys = new(StringComparer.Ordinal);

    public string File => file;

    public int ErrorCount => _errors.Count;

    public IReadOnlyList<SpecError> Errors => _errors;

    /// <summary>Records where a path's key and value are; <paramref name="key"/> is null for list items and the root.</summary>
    public void Locate(string path, YamlNode? key, YamlNode value) =>
        _entries[path] = new Entry(key is null ? null : Position.Of(key.Start), Position.Of(value.Start), SpecValues.IsNull(value));

    /// <summary>A problem of shape at a node; the value at <paramref name="path"/> counts as unreadable from now on.</summary>
    public void Add(YamlNode node, string path, string message, string fix) => Add(node.Start, path, message, fix);

    public void Add(Mark at, string path, string message, string fix)
    {
        _unreadable.Add(path);
        _errors.Add(new SpecError(file, (int)Math.Max(1, at.Line), (int)Math.Max(1, at.Column), path, message, fix));
    }

    public void Add(int line, int column, string path, string message, string fix)
    {
        _unreadable.Add(path);
        _errors.Add(new SpecError(file, line, column, path, message, fix));
    }

    public void MarkUnknownKeys(string path) => _withUnknownKeys.Add(path);

    /// <summary>The value at the path is missing for a reason already reported elsewhere (a misspelt key's did-you-mean).</summary>
    public void MarkUnreadable(string path) => _unreadable.Add(path);

    /// <summary>A problem was reported at exactly this path.</summary>
    public bool IsReported(string path) => _unreadable.Contains(path);

    /// <summary>The value at the path, or something inside it, could not be read (and was reported).</summary>
    public bool IsUnreadable(string path) =>
        _unreadable.Contains(path)
        || _unreadable.Any(p => p.Length > path.Length && p.StartsWith(path, StringComparison.Ordinal) && (path.Length == 0 || p[path.Length] is '.' or '['));

    public bool HasUnknownKeys(string path) => _withUnknownKeys.Contains(path);

    /// <summary>True when the key is written, even with no value.</summary>
    public bool HasKey(string path) => _entries.TryGetValue(path, out var e) && e.Key is not null;

    /// <summary>True when the key is written but its value is empty (<c>bake:</c>).</summary>
    public bool IsEmpty(string path) => _entries.TryGetValue(path, out var e) && e.ValueIsNull;

    public Position? ValueOf(string path) => _entries.TryGetValue(path, out var e) ? e.Value : null;

    public Position? KeyOf(string path) => _entries.TryGetValue(path, out var e) ? e.Key ?? e.Value : null;

    /// <summary>The value at the path, or at its nearest recorded ancestor: where a problem about it is best shown.</summary>
    public Position Nearest(string path)
    {
        for (var p = path; ; p = SpecPaths.Parent(p))
        {
            if (ValueOf(p) is { } position)
            {
                return position;
            }

            if (p.Length == 0)
            {
                return new Position(1, 1);
            }
        }
    }

    public readonly record struct Position(int Line, int Column)
    {
        public static Position Of(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));
    }

    private sealed record Entry(Position? Key, Position Value, bool ValueIsNull);
}
