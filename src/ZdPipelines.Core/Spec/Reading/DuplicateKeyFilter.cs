using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ZdPipelines.Core.Spec.Reading;

/// <summary>
/// Sits between YamlDotNet's parser and its representation model and drops the second and later
/// occurrences of a key in a mapping, recording each one.
/// </summary>
/// <remarks>
/// YamlDotNet's <c>YamlMappingNode</c> throws on the first duplicate key, which would end the read there
/// and hide every other mistake in the file. Dropping the duplicate (the first occurrence wins, as the
/// error says) lets the rest of the file be loaded and checked in the same run.
/// </remarks>
internal sealed class DuplicateKeyFilter(IParser inner) : IParser
{
    /// <summary>
    /// A zdp.yml nests about six levels deep. YamlDotNet builds its tree recursively, so pathological
    /// nesting ("[[[[…" a hundred thousand times) would overflow the stack and kill the process instead of
    /// producing an error; refusing early keeps "never throws on bad input" true.
    /// </summary>
    internal const int MaxDepth = 64;

    private readonly Stack<Frame> _frames = new();
    private readonly List<DuplicateKey> _duplicates = [];

    public ParsingEvent? Current { get; private set; }

    /// <summary>Where the last event ended; the best position available when the scanner fails without one.</summary>
    public Mark LastPosition { get; private set; } = new(0, 1, 1);

    public IReadOnlyList<DuplicateKey> Duplicates => _duplicates;

    public bool MoveNext()
    {
        while (inner.MoveNext())
        {
            var e = inner.Current!;
            LastPosition = e.End;
            if (e is Scalar key && _frames.TryPeek(out var top) && top.IsMapping && top.ExpectingKey
                && top.FirstLineOfKey.TryGetValue(key.Value, out var firstLine))
            {
                _duplicates.Add(new DuplicateKey(key.Start, Join(top.Path, key.Value), key.Value, firstLine));
                SkipValue();
                continue;
            }

            Track(e);
            Current = e;
            return true;
        }

        Current = null;
        return false;
    }

    private void Track(ParsingEvent e)
    {
        switch (e)
        {
            case DocumentStart:
                _frames.Clear();
                break;
            case Scalar or AnchorAlias:
                if (e is Scalar s && _frames.TryPeek(out var top) && top.IsMapping && top.ExpectingKey)
                {
                    top.FirstLineOfKey[s.Value] = s.Start.Line;
                    top.CurrentKey = s.Value;
                }

                NodeDone();
                break;
            case MappingStart or SequenceStart:
                if (_frames.Count >= MaxDepth)
                {
                    throw new YamlException(e.Start, e.End, $"the document nests more than {MaxDepth} levels deep");
                }

                _frames.Push(new Frame(e is MappingStart, ChildPath()));
                break;
            case MappingEnd or SequenceEnd:
                _frames.Pop();
                NodeDone();
                break;
            default:
                break;
        }
    }

    /// <summary>Skips the value that follows a dropped key: one scalar or alias, or a whole collection.</summary>
    private void SkipValue()
    {
        var depth = 0;
        while (inner.MoveNext())
        {
            var e = inner.Current!;
            LastPosition = e.End;
            depth += e.NestingIncrease;
            if (depth <= 0)
            {
                return;
            }
        }
    }

    private void NodeDone()
    {
        if (!_frames.TryPeek(out var top))
        {
            return;
        }

        if (top.IsMapping)
        {
            top.ExpectingKey = !top.ExpectingKey;
        }
        else
        {
            top.Index++;
        }
    }

    private string ChildPath()
    {
        if (!_frames.TryPeek(out var top))
        {
            return "";
        }

        return top.IsMapping ? Join(top.Path, top.CurrentKey ?? "?") : $"{top.Path}[{top.Index}]";
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private sealed class Frame(bool isMapping, string path)
    {
        public bool IsMapping { get; } = isMapping;
        public string Path { get; } = path;
        public bool ExpectingKey { get; set; } = true;
        public string? CurrentKey { get; set; }
        public int Index { get; set; }
        public Dictionary<string, long> FirstLineOfKey { get; } = new(StringComparer.Ordinal);
    }
}

internal sealed record DuplicateKey(Mark At, string Path, string Key, long FirstLine);
