using System.Globalization;
using ZdPipelines.Core.Plans;

namespace ZdPipelines.Cli.Output;

/// <summary>How numbers and times read in human and plain output.</summary>
internal static class TextFormat
{
    /// <summary>"230ms", "4.2s", "1m30s": progress needs a tenth of a second, not Durations' milliseconds.</summary>
    public static string Elapsed(TimeSpan d)
    {
        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        if (d.TotalSeconds < 1)
        {
            return $"{(int)d.TotalMilliseconds}ms";
        }

        return d.TotalSeconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.0}s")
            : Durations.Format(TimeSpan.FromSeconds(Math.Floor(d.TotalSeconds)));
    }

    public static string Value(double? value) =>
        value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>ISO 8601 in UTC with milliseconds: sorts as text and is what CI log viewers recognise.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Lower(Enum value)
    {
        var s = value.ToString();
        return s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];
    }

    /// <summary>"rolledBack" → "rolled back", for sentences.</summary>
    public static string Words(Enum value)
    {
        var s = value.ToString();
        var sb = new System.Text.StringBuilder(s.Length + 4);
        foreach (var c in s)
        {
            if (char.IsUpper(c) && sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }
}
