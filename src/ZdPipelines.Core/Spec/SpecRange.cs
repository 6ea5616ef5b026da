using System.Globalization;

namespace ZdPipelines.Core.Spec;

/// <summary>
/// The whole numbers a field accepts. One value serves both the reader (whose "expected a whole number" fix names
/// the range) and the validator (which judges the value), so the two can never disagree.
/// </summary>
public readonly record struct SpecRange(int Min, int Max = int.MaxValue)
{
    public bool Contains(int value) => value >= Min && value <= Max;

    /// <summary>"a whole number from 0 to 100", "a whole number of at least 1".</summary>
    public override string ToString() => Max == int.MaxValue
        ? $"a whole number of at least {Min.ToString(CultureInfo.InvariantCulture)}"
        : $"a whole number from {Min.ToString(CultureInfo.InvariantCulture)} to {Max.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A value to show in an example: 1 where allowed.</summary>
    public int Example => Math.Clamp(1, Min, Max);
}
