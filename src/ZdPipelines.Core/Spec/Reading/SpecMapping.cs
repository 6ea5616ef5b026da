using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec.Reading;

/// <summary>
/// One mapping of a zdp.yml, read against the keys its section accepts: what a platform or gate-source module
/// binds its block from. Unknown keys are reported when it is made (with a did-you-mean), the typed accessors
/// report values of the wrong shape, and every key's position is recorded so the validator's problems point at
/// the right line. Whether a value is allowed (a range, a pattern, a reference) is for the validator to say.
/// </summary>
/// <remarks>
/// A key present with no value (<c>bake:</c>) counts as absent for optional fields, as in Kubernetes manifests;
/// for a required field it is reported at the empty value.
/// </remarks>
public sealed class SpecMapping
{
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlScalarNode> _keys = new(StringComparer.Ordinal);
    private readonly SpecSource _source;

    // Known keys an unknown key was taken for ("stratgy" → strategy): their "missing" error would only
    // repeat the did-you-mean, so it is not reported.
    private readonly HashSet<string> _suggested = new(StringComparer.Ordinal);

    internal SpecMapping(YamlMappingNode node, string path, IReadOnlyList<string> keys, SpecSource source)
    {
        Node = node;
        Path = path;
        _source = source;
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } scalar)
            {
                source.Add(key, path, $"a key must be a plain name, got {SpecValues.Describe(key)}.", $"use one of {SpecValues.OneOf(keys)}.");
                continue;
            }

            if (!keys.Contains(name, StringComparer.Ordinal))
            {
                ReportUnknown(scalar, name, keys);
                continue;
            }

            _keys[name] = scalar;
            _values[name] = value;
            source.Locate(PathOf(name), scalar, value);
        }
    }

    /// <summary>Dotted path of this mapping, e.g. "platform.awsAlb"; empty for the top of the file.</summary>
    public string Path { get; }

    /// <summary>Some key was not one the section accepts (already reported): checks that count keys should hold back.</summary>
    public bool HasUnknownKeys { get; private set; }

    internal YamlMappingNode Node { get; }

    internal SpecSource Source => _source;

    public string PathOf(string key) => SpecPaths.Child(Path, key);

    /// <summary>The key is written, with or without a value.</summary>
    public bool HasKey(string key) => _keys.ContainsKey(key);

    /// <summary>The key is written with a value.</summary>
    public bool Has(string key) => Get(key) is not null;

    /// <summary>Reports <paramref name="key"/> as missing unless it is written with a value; true when it is.</summary>
    public bool Require(string key, string fix) => Required(key, fix) is not null;

    public string? Text(string key, string fix, bool required = false)
    {
        var node = required ? Required(key, fix) : Get(key);
        return node is null ? null : SpecValues.Text(_source, node, PathOf(key), fix);
    }

    /// <summary>A whole number; <paramref name="range"/> names what is accepted when the value is not a number (the validator judges the range).</summary>
    public int? WholeNumber(string key, SpecRange range) =>
        Get(key) is { } node ? SpecValues.Int(_source, node, PathOf(key), range) : null;

    public double? Number(string key, double min, double max) =>
        Get(key) is { } node ? SpecValues.Number(_source, node, PathOf(key), min, max) : null;

    public bool? Flag(string key) =>
        Get(key) is { } node ? SpecValues.Bool(_source, node, PathOf(key)) : null;

    public TimeSpan? Duration(string key, bool allowZero = false) =>
        Get(key) is { } node ? SpecValues.Duration(_source, node, PathOf(key), allowZero) : null;

    public T? Enum<T>(string key, IReadOnlyList<(string Name, T Value)> values)
        where T : struct =>
        Get(key) is { } node ? SpecValues.Enum(_source, node, PathOf(key), values) : null;

    public CountOrPercent? CountOrPercent(string key, int min) =>
        Get(key) is { } node ? SpecValues.CountOrPercent(_source, node, PathOf(key), min) : null;

    /// <summary>A nested mapping read against its own keys; reports a value that is not a mapping. Absent or empty gives null.</summary>
    public SpecMapping? Mapping(string key, IReadOnlyList<string> keys, string example)
    {
        var node = Get(key);
        return node is null ? null : AsMapping(node, PathOf(key), keys, _source, example);
    }

    public SpecMapping? RequiredMapping(string key, IReadOnlyList<string> keys, string example, string fix)
    {
        var node = Required(key, fix);
        return node is null ? null : AsMapping(node, PathOf(key), keys, _source, example);
    }

    /// <summary>A list of mappings. Null when absent; an item that is not a mapping is reported and null in the list.</summary>
    public IReadOnlyList<SpecMapping?>? Mappings(string key, IReadOnlyList<string> keys, string listExample, string itemExample)
    {
        if (List(key, listExample) is not { } list)
        {
            return null;
        }

        var items = new List<SpecMapping?>(list.Children.Count);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = SpecPaths.Item(PathOf(key), i);
            _source.Locate(path, null, list.Children[i]);
            items.Add(AsMapping(list.Children[i], path, keys, _source, itemExample));
        }

        return items;
    }

    /// <summary>A list of texts. Null when absent; an item that is not text is reported and null in the list.</summary>
    public IReadOnlyList<string?>? Texts(string key, string listExample, string itemFix)
    {
        if (List(key, listExample) is not { } list)
        {
            return null;
        }

        var items = new List<string?>(list.Children.Count);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = SpecPaths.Item(PathOf(key), i);
            _source.Locate(path, null, list.Children[i]);
            items.Add(SpecValues.Text(_source, list.Children[i], path, itemFix));
        }

        return items;
    }

    /// <summary>A mapping of free-form names to texts (CloudWatch dimensions). Null when absent; values that are not text are reported and left out.</summary>
    public IReadOnlyDictionary<string, string>? TextMap(string key, string mapFix, string valueFix)
    {
        if (Get(key) is not { } node)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            _source.Add(node, PathOf(key), $"expected a mapping of names to values, got {SpecValues.Describe(node)}.", mapFix);
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            var path = SpecPaths.Child(PathOf(key), name);
            _source.Locate(path, keyNode, valueNode);
            if (SpecValues.Text(_source, valueNode, path, valueFix) is { } value)
            {
                result[name] = value;
            }
        }

        return result;
    }

    /// <summary>Reports a missing required field at this mapping, or at the empty value when the key is there.</summary>
    public void ReportMissing(string key, string fix)
    {
        if (_suggested.Contains(key))
        {
            _source.MarkUnreadable(PathOf(key));
            return;
        }

        if (_values.TryGetValue(key, out var empty))
        {
            _source.Add(empty, PathOf(key), $"{key} has no value.", fix);
        }
        else
        {
            _source.Add(Node, PathOf(key), $"required field {key} is missing.", fix);
        }
    }

    /// <summary>A problem of shape with the value of <paramref name="key"/>, shown at that value.</summary>
    public void Report(string key, string message, string fix) =>
        _source.Add(Get(key) ?? _keys.GetValueOrDefault(key) ?? (YamlNode)Node, PathOf(key), message, fix);

    /// <summary>A problem of shape shown at the key itself (the block that should not be there).</summary>
    public void ReportAtKey(string key, string message, string fix) =>
        _source.Add(_keys.GetValueOrDefault(key) ?? (YamlNode)Node, PathOf(key), message, fix);

    /// <summary>A problem with this mapping as a whole, shown at its start.</summary>
    public void ReportHere(string message, string fix) => _source.Add(Node, Path, message, fix);

    /// <summary>The key's value even when it is empty (a null scalar); null only when the key is absent.</summary>
    internal YamlNode? Raw(string key) => _values.GetValueOrDefault(key);

    /// <summary>The key's value, or null when the key is absent or has no value.</summary>
    internal YamlNode? Get(string key) =>
        _values.TryGetValue(key, out var value) && !SpecValues.IsNull(value) ? value : null;

    internal YamlScalarNode? KeyNode(string key) => _keys.GetValueOrDefault(key);

    internal YamlNode? Required(string key, string fix)
    {
        var node = Get(key);
        if (node is null)
        {
            ReportMissing(key, fix);
        }

        return node;
    }

    internal YamlSequenceNode? RequiredList(string key, string example, string fix) =>
        Required(key, fix) is null ? null : List(key, example);

    /// <summary>A list; reports a value that is not one. Absent or empty-valued gives null.</summary>
    internal YamlSequenceNode? List(string key, string example)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlSequenceNode list)
        {
            return list;
        }

        _source.Add(node, PathOf(key), $"expected a list, got {SpecValues.Describe(node)}.", $"write a list, e.g. {key}: {example}.");
        return null;
    }

    internal static SpecMapping? AsMapping(YamlNode node, string path, IReadOnlyList<string> keys, SpecSource source, string example)
    {
        if (node is YamlMappingNode mapping)
        {
            return new SpecMapping(mapping, path, keys, source);
        }

        source.Add(node, path, $"expected a mapping of fields, got {SpecValues.Describe(node)}.", $"write it as fields, e.g. {example}.");
        return null;
    }

    private void ReportUnknown(YamlScalarNode key, string name, IReadOnlyList<string> known)
    {
        HasUnknownKeys = true;
        _source.MarkUnknownKeys(Path);
        var close = DidYouMean.Closest(name, known);
        if (close is not null)
        {
            _suggested.Add(close);
            _source.Add(key, PathOf(name), $"unknown field '{name}'; did you mean '{close}'?", $"rename it to {close}.");
        }
        else
        {
            _source.Add(key, PathOf(name), $"unknown field '{name}'.", $"remove it; the fields allowed here are {SpecValues.OneOf(known)}.");
        }
    }
}
