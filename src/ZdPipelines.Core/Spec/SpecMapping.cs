using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec;

/// <summary>
/// One YAML mapping of the spec, read against its section's known keys: unknown keys are reported on
/// construction, and the typed accessors report wrong values, so the binder only says what it expects.
/// </summary>
/// <remarks>
/// A key present with no value (<c>bake:</c>) counts as absent for optional fields, as in Kubernetes
/// manifests; for a required field it is reported at the empty value.
/// </remarks>
internal sealed class SpecMapping
{
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlScalarNode> _keys = new(StringComparer.Ordinal);

    // Known keys an unknown key was taken for ("stratgy" → strategy): their "missing" error would only
    // repeat the did-you-mean, so it is not reported.
    private readonly HashSet<string> _suggested = new(StringComparer.Ordinal);

    public SpecMapping(YamlMappingNode node, string path, string section, SpecErrors errors)
    {
        Node = node;
        Path = path;
        Errors = errors;
        var known = SpecKeys.BySection[section];
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } scalar)
            {
                errors.Add(key, path, $"a key must be a plain name, got {SpecValues.Describe(key)}.", $"use one of {SpecValues.OneOf(known)}.");
                continue;
            }

            if (!known.Contains(name, StringComparer.Ordinal))
            {
                ReportUnknown(scalar, name, known);
                continue;
            }

            _keys[name] = scalar;
            _values[name] = value;
        }
    }

    public YamlMappingNode Node { get; }

    public string Path { get; }

    public SpecErrors Errors { get; }

    public bool HasUnknownKeys { get; private set; }

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The key's value even when it is empty (a null scalar); null only when the key is absent.</summary>
    public YamlNode? Raw(string key) => _values.GetValueOrDefault(key);

    /// <summary>The key's value, or null when the key is absent or has no value.</summary>
    public YamlNode? Get(string key) =>
        _values.TryGetValue(key, out var value) && !SpecValues.IsNull(value) ? value : null;

    public bool Has(string key) => Get(key) is not null;

    public YamlScalarNode? KeyNode(string key) => _keys.GetValueOrDefault(key);

    /// <summary>Reports a missing required field at this mapping, or at the empty value when the key is there.</summary>
    public void ReportMissing(string key, string fix)
    {
        if (_suggested.Contains(key))
        {
            return;
        }

        if (_values.TryGetValue(key, out var empty))
        {
            Errors.Add(empty, PathOf(key), $"{key} has no value.", fix);
        }
        else
        {
            Errors.Add(Node, PathOf(key), $"required field {key} is missing.", fix);
        }
    }

    public YamlNode? Required(string key, string fix)
    {
        var node = Get(key);
        if (node is null)
        {
            ReportMissing(key, fix);
        }

        return node;
    }

    public string? Text(string key, string fix, bool required = false)
    {
        var node = required ? Required(key, fix) : Get(key);
        return node is null ? null : SpecValues.Text(Errors, node, PathOf(key), fix);
    }

    public int? Int(string key, int min, int max = int.MaxValue) =>
        Get(key) is { } node ? SpecValues.Int(Errors, node, PathOf(key), min, max) : null;

    public double? Number(string key, double min, double max) =>
        Get(key) is { } node ? SpecValues.Number(Errors, node, PathOf(key), min, max) : null;

    public bool? Bool(string key) =>
        Get(key) is { } node ? SpecValues.Bool(Errors, node, PathOf(key)) : null;

    public TimeSpan? Duration(string key, bool allowZero = false) =>
        Get(key) is { } node ? SpecValues.Duration(Errors, node, PathOf(key), allowZero) : null;

    public T? Enum<T>(string key, IReadOnlyList<(string Name, T Value)> values)
        where T : struct =>
        Get(key) is { } node ? SpecValues.Enum(Errors, node, PathOf(key), values) : null;

    public CountOrPercent? CountOrPercent(string key, int min) =>
        Get(key) is { } node ? SpecValues.CountOrPercent(Errors, node, PathOf(key), min) : null;

    public SpecMapping? RequiredMapping(string key, string section, string example, string fix)
    {
        var node = Required(key, fix);
        return node is null ? null : AsMapping(node, PathOf(key), section, Errors, example);
    }

    public YamlSequenceNode? RequiredList(string key, string example, string fix) =>
        Required(key, fix) is null ? null : List(key, example);

    /// <summary>A nested mapping read against its own section; reports a value that is not a mapping.</summary>
    public SpecMapping? Mapping(string key, string section, string example)
    {
        var node = Get(key);
        return node is null ? null : AsMapping(node, PathOf(key), section, Errors, example);
    }

    /// <summary>A list; reports a value that is not one. Absent or empty-valued gives null.</summary>
    public YamlSequenceNode? List(string key, string example)
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

        Errors.Add(node, PathOf(key), $"expected a list, got {SpecValues.Describe(node)}.", $"write a list, e.g. {key}: {example}.");
        return null;
    }

    public static SpecMapping? AsMapping(YamlNode node, string path, string section, SpecErrors errors, string example)
    {
        if (node is YamlMappingNode mapping)
        {
            return new SpecMapping(mapping, path, section, errors);
        }

        errors.Add(node, path, $"expected a mapping of fields, got {SpecValues.Describe(node)}.", $"write it as fields, e.g. {example}.");
        return null;
    }

    private void ReportUnknown(YamlScalarNode key, string name, IReadOnlyList<string> known)
    {
        HasUnknownKeys = true;
        var close = DidYouMean.Closest(name, known);
        if (close is not null)
        {
            _suggested.Add(close);
            Errors.Add(key, PathOf(name), $"unknown field '{name}'; did you mean '{close}'?", $"rename it to {close}.");
        }
        else
        {
            Errors.Add(key, PathOf(name), $"unknown field '{name}'.", $"remove it; the fields allowed here are {SpecValues.OneOf(known)}.");
        }
    }
}
