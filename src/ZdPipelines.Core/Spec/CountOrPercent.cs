using System.Globalization;

namespace ZdPipelines.Core.Spec;

/// <summary>A count ("2") or a share ("25%") of the total.</summary>
public readonly record struct CountOrPercent(int Value, bool IsPercent)
{
    public static CountOrPercent FromCount(int n) => new(n, false);
    public static CountOrPercent FromPercent(int p) => new(p, true);

    /// <summary>Resolves against a total. Percent rounds down for unavailability (safe side), as Kubernetes does.</summary>
    public int Resolve(int total, bool roundUp = false) =>
        !IsPercent ? Value : roundUp ? (int)Math.Ceiling(total * Value / 100.0) : total * Value / 100;

    public override string ToString() => IsPercent ? $"{Value}%" : Value.ToString(CultureInfo.InvariantCulture);
}
