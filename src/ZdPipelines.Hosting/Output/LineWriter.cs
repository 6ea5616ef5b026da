using System.Text;

namespace ZdPipelines.Hosting.Output;

/// <summary>
/// A TextWriter that hands over whole lines, so a host can wrap each line the CLI renderers write (in its CI system's
/// commands, masks, groups) and a line never splits around one of them.
/// </summary>
public sealed class LineWriter(Action<string> onLine) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                var line = _line.ToString().TrimEnd('\r');
                _line.Clear();
                onLine(line);
            }
            else
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_line)
        {
            Write(value);
            Write('\n');
        }
    }

    public override void Flush()
    {
        lock (_line)
        {
            if (_line.Length > 0)
            {
                var line = _line.ToString();
                _line.Clear();
                onLine(line);
            }
        }
    }
}
