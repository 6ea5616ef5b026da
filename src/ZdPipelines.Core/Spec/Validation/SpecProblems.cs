using System.Globalization;
using ZdPipelines.Core.Plans;
using ZdPipelines.Core.Spec.Reading;

namespace ZdPipelines.Core.Spec.Validation;

/// <summary>
/// Where the validator and the modules' rules report what is wrong with a spec. A problem names a path; when the
/// spec was read from a file, the path's key or value position is attached, so the message points at the line.
/// </summary>
/// <remarks>
/// The checks below skip a value the reader already reported as unreadable (it holds a default now), so one
/// mistake is one message, not a cascade.
/// </remarks>
public sealed class SpecProblems
{
    private readonly SpecSource? _source;
    private readonly string _file;
    private readonly List<SpecError> _errors = [];

    internal SpecProblems(SpecSource? source, string? file)
    {
        _source = source;
        _file = source?.File ?? file ?? "";
    }

    public int Count => _errors.Count;

    internal IReadOnlyList<SpecError> Errors => _errors;

    /// <summary>A problem with the value at <paramref name="path"/> (for a mapping or list: its start).</summary>
    public void Add(string path, string message, string fix) => AddAt(path, path, message, fix, atKey: false);

    /// <summary>A problem shown at the key of <paramref name="path"/>: a field that should not be there.</summary>
    public void AddAtKey(string path, string message, string fix) => AddAt(path, path, message, fix, atKey: true);

    /// <summary>A problem named by <paramref name="path"/> but shown at <paramref name="shownAt"/> (e.g. a missing block shown at its parent).</summary>
    public void AddAt(string path, string shownAt, string message, string fix, bool atKey = false)
    {
        SpecSource.Position? position = _source is null ? null
            : atKey ? _source.KeyOf(shownAt) ?? _source.Nearest(shownAt)
            : _source.ValueOf(shownAt) ?? _source.Nearest(shownAt);
        _errors.Add(new SpecError(_file, position?.Line ?? 0, position?.Column ?? 0, path, message, fix));
    }

    /// <summary>A required field that is not there: shown at its empty value when the key is written, else at the mapping that lacks it.</summary>
    public void AddMissing(string path, string fix)
    {
        var key = SpecPaths.Leaf(path);
        if (_source is not null && _source.IsEmpty(path))
        {
            Add(path, $"{key} has no value.", fix);
        }
        else
        {
            AddAt(path, SpecPaths.Parent(path), $"required field {key} is missing.", fix);
        }
    }

    /// <summary>
    /// The reader could not read the value at the path, or something inside it (and said so): the record holds a
    /// default in its place, so a rule about it would only repeat the reader's message.
    /// </summary>
    public bool IsUnreadable(string path) => _source?.IsUnreadable(path) == true;

    /// <summary>The reader reported a problem at exactly this path (not only inside it).</summary>
    public bool IsReported(string path) => _source?.IsReported(path) == true;

    /// <summary>The mapping at the path had a key it does not accept (already reported): a misspelt field may be the one a rule misses.</summary>
    public bool HasUnknownKeys(string path) => _source?.HasUnknownKeys(path) == true;

    /// <summary>The key at the path is written in the file. Always false for a spec built in code.</summary>
    public bool IsWritten(string path) => _source?.HasKey(path) == true;

    /// <summary>The line of the value at the path, for messages such as "already used on line 18"; null without a file.</summary>
    public int? LineOf(string path) => _source?.ValueOf(path)?.Line;

    /// <summary>"on line 18" when the spec has a file, else "at gates[0]": where something was first defined.</summary>
    public string Where(string path) => LineOf(path) is { } line ? $"on line {line.ToString(CultureInfo.InvariantCulture)}" : $"at {path}";

    /// <summary>Reports a whole number outside <paramref name="range"/>; true when the value is fine or was unreadable.</summary>
    public bool CheckRange(string path, int value, SpecRange range)
    {
        if (IsUnreadable(path) || range.Contains(value))
        {
            return true;
        }

        Add(path, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range.", $"use {range}.");
        return false;
    }

    public bool CheckRange(string path, double value, double min, double max)
    {
        if (IsUnreadable(path) || (value >= min && value <= max))
        {
            return true;
        }

        Add(path, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range.", $"use {SpecValues.NumberRange(min, max)}.");
        return false;
    }

    /// <summary>Reports a duration that is not above zero.</summary>
    public bool CheckPositive(string path, TimeSpan value)
    {
        if (IsUnreadable(path) || value > TimeSpan.Zero)
        {
            return true;
        }

        Add(path, $"{Durations.Format(value)} is too short; it must be longer than 0s.", "use a positive duration such as 10s.");
        return false;
    }

    /// <summary>Reports a count or percentage below <paramref name="min"/> or above 100 %.</summary>
    public bool CheckCountOrPercent(string path, CountOrPercent value, int min)
    {
        var ok = value.IsPercent ? value.Value >= Math.Min(min, 1) && value.Value <= 100 : value.Value >= min;
        if (IsUnreadable(path) || ok)
        {
            return true;
        }

        Add(path, $"{value} is out of range.", SpecValues.CountOrPercentFix(path, min));
        return false;
    }
}
