namespace ZdPipelines.Core.Gates;

/// <summary>
/// One reading from a gate source. A null <see cref="Value"/> means the source had no data
/// (no requests in the window, an empty query result); <see cref="Detail"/> says why in words.
/// </summary>
public sealed record Measurement(double? Value, int Samples, string? Detail = null)
{
    public static Measurement NoData(string detail) => new(null, 0, detail);
}

public enum GateVerdict
{
    Pass,
    Fail,
    /// <summary>Not enough data to decide: neither pass nor fail (flagger #1035, #1689).</summary>
    Inconclusive,
}

/// <summary>
/// The outcome of one whole gate: verdict, what was measured against what, and how often.
/// <see cref="Samples"/> is the sample count behind <see cref="LastValue"/> (the last measurement's), not a
/// sum: measurements over trailing windows overlap, and adding them would count requests twice.
/// </summary>
public sealed record GateResult(
    string Gate,
    GateVerdict Verdict,
    double? LastValue,
    string Condition,
    int Samples,
    int Measurements,
    int Failures,
    int Inconclusives,
    string? Detail)
{
    /// <summary>"value 0.33, threshold &lt; 0.05, 97 samples, 1 of 1 measurement(s) failed, 0 inconclusive: 32 of 97 requests failed".</summary>
    public string Summary() =>
        $"value {(LastValue is { } v ? v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "n/a")}, " +
        $"threshold {Condition}, {Samples} samples, {Failures} of {Measurements} measurement(s) failed, {Inconclusives} inconclusive" +
        (Detail is null ? "" : $": {Detail}");
}
