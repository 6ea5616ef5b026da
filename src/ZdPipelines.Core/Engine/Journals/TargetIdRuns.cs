using System.Globalization;
using System.Text;

namespace ZdPipelines.Core.Engine.Journals;

/// <summary>
/// Writes a set of target ids as runs: "10.0.1.1:8080*254" stands for 10.0.1.1:8080 … 10.0.1.254:8080. Fleets are
/// numbered (IP ranges, generated names), and the journal must fit in a few tags, so a thousand targets often take
/// a dozen characters; ids that form no run are written as they are and left to gzip.
/// </summary>
internal static class TargetIdRuns
{
    private const char Separator = ',';
    private const char RunMark = '*';

    public static string Encode(IEnumerable<string> ids)
    {
        var sorted = ids.Distinct(StringComparer.Ordinal).Select(Split).OrderBy(p => p.Head, StringComparer.Ordinal).ThenBy(p => p.Number).ThenBy(p => p.Tail, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        for (var i = 0; i < sorted.Count;)
        {
            var first = sorted[i];
            var count = 1;
            while (i + count < sorted.Count && Follows(sorted[i + count - 1], sorted[i + count]))
            {
                count++;
            }

            if (sb.Length > 0)
            {
                sb.Append(Separator);
            }

            sb.Append(first.Id);
            if (count > 1)
            {
                sb.Append(RunMark).Append(count.ToString(CultureInfo.InvariantCulture));
            }

            i += count;
        }

        return sb.ToString();
    }

    public static IReadOnlyList<string> Decode(string text)
    {
        var ids = new List<string>();
        if (text.Length == 0)
        {
            return ids;
        }

        foreach (var token in text.Split(Separator))
        {
            var mark = token.LastIndexOf(RunMark);
            if (mark < 0)
            {
                ids.Add(token);
                continue;
            }

            var first = Split(token[..mark]);
            var count = int.Parse(token.AsSpan(mark + 1), NumberStyles.None, CultureInfo.InvariantCulture);
            for (var k = 0; k < count; k++)
            {
                ids.Add(first.Head + (first.Number + k).ToString(CultureInfo.InvariantCulture) + first.Tail);
            }
        }

        return ids;
    }

    private static bool Follows(Part a, Part b) =>
        a.Number >= 0 && b.Number == a.Number + 1 && a.Head == b.Head && a.Tail == b.Tail
        && b.Id == b.Head + b.Number.ToString(CultureInfo.InvariantCulture) + b.Tail;

    /// <summary>
    /// The id around its numbered part: the last run of digits before an optional ":port". A run with a leading zero
    /// ("i-0abc") is not a number here, because counting up would not reproduce its width.
    /// </summary>
    private static Part Split(string id)
    {
        var end = id.Length;
        var colon = id.LastIndexOf(':');
        if (colon > 0 && colon < id.Length - 1 && id.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            end = colon;
        }

        var stop = end;
        while (stop > 0 && !char.IsAsciiDigit(id[stop - 1]))
        {
            stop--;
        }

        var start = stop;
        while (start > 0 && char.IsAsciiDigit(id[start - 1]))
        {
            start--;
        }

        if (start == stop || (stop - start > 1 && id[start] == '0') || stop - start > 9)
        {
            return new Part(id, id, -1, "");
        }

        return new Part(id, id[..start], long.Parse(id.AsSpan(start, stop - start), NumberStyles.None, CultureInfo.InvariantCulture), id[stop..]);
    }

    private sealed record Part(string Id, string Head, long Number, string Tail);
}
