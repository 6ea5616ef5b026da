using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Core.Spec.Reading;

/// <summary>
/// Turns single YAML nodes into typed values, reporting a precise error instead when the node is not one.
/// Every method returns null after reporting, so callers only decide what to build. Whether a value is allowed
/// (a range, a positive duration) is the validator's question, not the reader's: it holds for specs built in code too.
/// </summary>
/// <remarks>
/// Types are strict on purpose: a quoted "10" where a number belongs is an error, not a conversion, because
/// the YAML author who quoted it may have meant something else and zdp decides about production traffic.
/// </remarks>
internal static class SpecValues
{
    public const string DurationUnits = "ms, s, m, h or d";

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s
        && (s.Tag.IsEmpty || s.Tag.IsNonSpecific)
        && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public static bool IsQuoted(YamlScalarNode s) => s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;

    /// <summary>How a node looks to the user, for "expected X, got Y" messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s when IsQuoted(s) => $"the quoted string \"{s.Value}\"",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an unsupported YAML node",
    };

    public static string Leaf(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? path : path[(dot + 1)..];
    }

    public static string? Text(SpecSource errors, YamlNode node, string path, string fix)
    {
        if (node is YamlScalarNode s && !IsNull(s))
        {
            return s.Value ?? "";
        }

        errors.Add(node, path, $"expected text, got {Describe(node)}.", fix);
        return null;
    }

    /// <summary>A whole number; <paramref name="range"/> only shapes the fix of a value that is not one.</summary>
    public static int? Int(SpecSource errors, YamlNode node, string path, SpecRange range)
    {
        if (node is not YamlScalarNode s || IsNull(s))
        {
            errors.Add(node, path, $"expected a whole number, got {Describe(node)}.", $"write {range}, e.g. {Leaf(path)}: {range.Example}.");
            return null;
        }

        if (!int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            errors.Add(node, path, $"expected a whole number, got {Describe(node)}.", $"write {range}.");
            return null;
        }

        if (IsQuoted(s))
        {
            errors.Add(node, path, $"expected a whole number, got {Describe(node)}.", $"remove the quotes: {Leaf(path)}: {s.Value}.");
            return null;
        }

        return n;
    }

    /// <summary>A number; <paramref name="min"/> and <paramref name="max"/> only shape the fix of a value that is not one.</summary>
    public static double? Number(SpecSource errors, YamlNode node, string path, double min, double max)
    {
        if (node is not YamlScalarNode s || IsNull(s) || IsQuoted(s)
            || !double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
        {
            errors.Add(node, path, $"expected a number, got {Describe(node)}.", $"write {NumberRange(min, max)} without quotes.");
            return null;
        }

        return x;
    }

    public static string NumberRange(double min, double max) => $"a number from {Format(min)} to {Format(max)}";

    public static bool? Bool(SpecSource errors, YamlNode node, string path)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } s)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
                default:
                    break;
            }
        }

        // YAML 1.1's yes/no/on/off are not booleans in YAML 1.2 and are a classic source of surprises.
        errors.Add(node, path, $"expected true or false, got {Describe(node)}.", $"write {Leaf(path)}: true or {Leaf(path)}: false, without quotes.");
        return null;
    }

    /// <summary>A duration; <paramref name="allowZero"/> only shapes the example of a value that is not one.</summary>
    public static TimeSpan? Duration(SpecSource errors, YamlNode node, string path, bool allowZero)
    {
        var example = allowZero ? "0s, 500ms, 30s, 5m or 1h30m" : "500ms, 30s, 5m or 1h30m";
        if (node is not YamlScalarNode s || IsNull(s))
        {
            errors.Add(node, path, $"expected a duration, got {Describe(node)}.", $"write a number with a unit ({DurationUnits}), e.g. {example}.");
            return null;
        }

        var text = s.Value ?? "";
        if (!IsQuoted(s) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            errors.Add(node, path, $"'{text}' has no unit.", $"add a unit ({DurationUnits}), e.g. {Leaf(path)}: {text}s.");
            return null;
        }

        if (!TryParseDuration(text, out var value))
        {
            errors.Add(node, path, $"'{text}' is not a duration.", $"write a number with a unit ({DurationUnits}), e.g. {example}.");
            return null;
        }

        if (value < TimeSpan.Zero)
        {
            errors.Add(node, path, $"'{text}' is not a duration.", $"write a number with a unit ({DurationUnits}), e.g. {example}.");
            return null;
        }

        return value;
    }

    public static T? Enum<T>(SpecSource errors, YamlNode node, string path, IReadOnlyList<(string Name, T Value)> values)
        where T : struct
    {
        var name = Keyword(errors, node, path, [.. values.Select(v => v.Name)]);
        return name is null ? null : values.First(v => v.Name == name).Value;
    }

    /// <summary>One of a fixed set of words, spelt exactly (camelCase), with a did-you-mean on near misses.</summary>
    public static string? Keyword(SpecSource errors, YamlNode node, string path, IReadOnlyList<string> names)
    {
        if (node is not YamlScalarNode s || IsNull(s))
        {
            errors.Add(node, path, $"expected one of {OneOf(names)}, got {Describe(node)}.", $"write one of {OneOf(names)}.");
            return null;
        }

        var text = s.Value ?? "";
        if (names.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        var close = DidYouMean.Closest(text, names);
        if (close is null)
        {
            errors.Add(node, path, $"'{text}' is not one of {OneOf(names)}.", $"use one of {OneOf(names)}, spelt exactly so.");
        }
        else
        {
            errors.Add(node, path, $"'{text}' is not one of {OneOf(names)}; did you mean '{close}'?", $"write {Leaf(path)}: {close}.");
        }

        return null;
    }

    /// <summary>A plain whole number (a count) or a quoted or plain "NN%" (a share of the total); <paramref name="min"/> only shapes the fix.</summary>
    public static CountOrPercent? CountOrPercent(SpecSource errors, YamlNode node, string path, int min)
    {
        var fix = CountOrPercentFix(path, min);
        if (node is not YamlScalarNode s || IsNull(s))
        {
            errors.Add(node, path, $"expected a count or a percentage, got {Describe(node)}.", fix);
            return null;
        }

        var text = (s.Value ?? "").Trim();
        if (text.EndsWith('%'))
        {
            if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                errors.Add(node, path, $"'{text}' is not a whole percentage.", fix);
                return null;
            }

            return Spec.CountOrPercent.FromPercent(p);
        }

        if (IsQuoted(s) || !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            errors.Add(node, path, $"expected a count or a percentage, got {Describe(node)}.", fix);
            return null;
        }

        return Spec.CountOrPercent.FromCount(n);
    }

    /// <summary>What a count-or-percent field accepts, for the reader's and the validator's fixes alike.</summary>
    public static string CountOrPercentFix(string path, int min) =>
        $"write a whole number of at least {min} (e.g. {Leaf(path)}: {Math.Max(min, 1)}) or a percentage from {Math.Min(min, 1)}% to 100% (e.g. {Leaf(path)}: 25%).";

    public static string OneOf(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";

    /// <summary>
    /// <see cref="Durations.TryParse"/> throws when the total does not fit a TimeSpan ("99999999d");
    /// for a spec that is one more invalid value, not a crash.
    /// </summary>
    private static bool TryParseDuration(string text, out TimeSpan value)
    {
        try
        {
            return Durations.TryParse(text, out value);
        }
        catch (OverflowException)
        {
            value = TimeSpan.Zero;
            return false;
        }
    }


    private static string Format(double x) => x.ToString(CultureInfo.InvariantCulture);
}
