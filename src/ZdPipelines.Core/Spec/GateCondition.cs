using System.Globalization;

namespace ZdPipelines.Core.Spec;

/// <summary>"&lt; 0.05", "&gt;= 0.99", "== 0".</summary>
public sealed record GateCondition(ComparisonOperator Operator, double Threshold)
{
    private static readonly (string Symbol, ComparisonOperator Operator)[] Operators =
    [
        // Two-character operators first, so "<=" is not read as "<" followed by "=0.5".
        ("<=", ComparisonOperator.LessThanOrEqual),
        (">=", ComparisonOperator.GreaterThanOrEqual),
        ("==", ComparisonOperator.Equal),
        ("!=", ComparisonOperator.NotEqual),
        ("<", ComparisonOperator.LessThan),
        (">", ComparisonOperator.GreaterThan),
    ];

    public bool IsMetBy(double value) => Operator switch
    {
        ComparisonOperator.LessThan => value < Threshold,
        ComparisonOperator.LessThanOrEqual => value <= Threshold,
        ComparisonOperator.GreaterThan => value > Threshold,
        ComparisonOperator.GreaterThanOrEqual => value >= Threshold,
        ComparisonOperator.Equal => value == Threshold,
        ComparisonOperator.NotEqual => value != Threshold,
        _ => false,
    };

    public override string ToString() => $"{Symbol(Operator)} {Threshold.ToString(CultureInfo.InvariantCulture)}";

    public static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.Equal => "==",
        _ => "!=",
    };

    /// <summary>Reads "&lt; 0.05"; null when the text is not an operator followed by a finite number.</summary>
    public static GateCondition? Parse(string text)
    {
        var trimmed = text.Trim();
        foreach (var (symbol, op) in Operators)
        {
            if (!trimmed.StartsWith(symbol, StringComparison.Ordinal))
            {
                continue;
            }

            var number = trimmed[symbol.Length..].Trim();
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) && double.IsFinite(threshold)
                ? new GateCondition(op, threshold)
                : null;
        }

        return null;
    }
}

public enum ComparisonOperator
{
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    Equal,
    NotEqual,
}
