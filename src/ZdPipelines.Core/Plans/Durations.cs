using System.Globalization;
using System.Text;

namespace ZdPipelines.Core.Plans;

/// <summary>Durations as users write them in zdp.yml: 500ms, 30s, 5m, 1h30m, 2d.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var total = 0.0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsLetter(s[i]))
            {
                i++;
            }

            var ms = s[unitStart..i] switch
            {
                "ms" => 1.0,
                "s" => 1000.0,
                "m" => 60_000.0,
                "h" => 3_600_000.0,
                "d" => 86_400_000.0,
                _ => double.NaN,
            };
            if (double.IsNaN(ms))
            {
                return false;
            }

            total += n * ms;
        }

        value = TimeSpan.FromMilliseconds(total);
        return true;
    }

    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero)
        {
            return "0s";
        }

        if (d.TotalSeconds < 1)
        {
            return $"{(int)d.TotalMilliseconds}ms";
        }

        var sb = new StringBuilder();
        if (d.Days > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{d.Days}d");
        }

        if (d.Hours > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{d.Hours}h");
        }

        if (d.Minutes > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{d.Minutes}m");
        }

        if (d.Seconds > 0 || d.Milliseconds > 0)
        {
            sb.Append(d.Milliseconds > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{d.Seconds + (d.Milliseconds / 1000.0):0.###}s")
                : string.Create(CultureInfo.InvariantCulture, $"{d.Seconds}s"));
        }

        return sb.ToString();
    }
}
