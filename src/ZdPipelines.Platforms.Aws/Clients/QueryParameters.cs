using System.Globalization;
using System.Text;

namespace ZdPipelines.Platforms.Aws.Clients;

/// <summary>
/// The body of one AWS Query request, built member by member in model order, as botocore's QuerySerializer does
/// (botocore/serialize.py): structs join member names with dots, lists become <c>Name.member.N</c> from 1,
/// an empty list is sent as <c>Name=</c>, maps become <c>Name.entry.N.key/value</c>, booleans are <c>true</c>/<c>false</c>,
/// and timestamps are ISO 8601 in UTC.
/// </summary>
internal sealed class QueryParameters
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    public QueryParameters(string prefix = "") => Prefix = prefix;

    private QueryParameters(string prefix, List<KeyValuePair<string, string>> pairs)
    {
        Prefix = prefix;
        _pairs = pairs;
    }

    /// <summary>The dotted path this view writes under; empty at the top level.</summary>
    public string Prefix { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public QueryParameters Add(string name, string? value)
    {
        if (value is not null)
        {
            _pairs.Add(new(Key(name), value));
        }

        return this;
    }

    public QueryParameters Add(string name, int? value) =>
        Add(name, value?.ToString(CultureInfo.InvariantCulture));

    // botocore writes Python's repr of a float ("1.0"); the service parses any decimal, and "R" round-trips exactly.
    public QueryParameters Add(string name, double? value) =>
        Add(name, value?.ToString("R", CultureInfo.InvariantCulture));

    public QueryParameters Add(string name, bool? value) =>
        Add(name, value switch { null => null, true => "true", false => "false" });

    public QueryParameters Add(string name, DateTimeOffset? value) =>
        Add(name, value is { } v ? FormatTimestamp(v) : null);

    /// <summary>A nested structure: its members are written as <c>Name.Member</c>. Nothing is written for null.</summary>
    public QueryParameters AddStruct<T>(string name, T? value, Action<QueryParameters, T> write)
        where T : class
    {
        if (value is not null)
        {
            write(new QueryParameters(Key(name), _pairs), value);
        }

        return this;
    }

    /// <summary>A list: <c>Name.member.1…N</c>; an empty list is <c>Name=</c> (botocore: "The query protocol serializes empty lists").</summary>
    public QueryParameters AddList<T>(string name, IReadOnlyList<T>? items, Action<QueryParameters, T> write)
    {
        if (items is null)
        {
            return this;
        }

        if (items.Count == 0)
        {
            _pairs.Add(new(Key(name), string.Empty));
            return this;
        }

        for (var i = 0; i < items.Count; i++)
        {
            write(new QueryParameters(Key($"{name}.member.{i + 1}"), _pairs), items[i]);
        }

        return this;
    }

    /// <summary>A list of strings: <c>Name.member.N=value</c>.</summary>
    public QueryParameters AddList(string name, IReadOnlyList<string>? items) =>
        AddList(name, items, (p, v) => p.AddValue(v));

    /// <summary>A map: <c>Name.entry.N.key</c> and <c>Name.entry.N.value</c>.</summary>
    public QueryParameters AddMap(string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            return this;
        }

        var i = 0;
        foreach (var (key, value) in map)
        {
            i++;
            _pairs.Add(new(Key($"{name}.entry.{i}.key"), key));
            _pairs.Add(new(Key($"{name}.entry.{i}.value"), value));
        }

        return this;
    }

    /// <summary>Members kept as flattened Query names relative to this view (see <see cref="QueryXml.Flatten"/>), written back unchanged.</summary>
    public QueryParameters AddFlattened(IEnumerable<KeyValuePair<string, string>>? members)
    {
        if (members is not null)
        {
            foreach (var (key, value) in members)
            {
                _pairs.Add(new(Key(key), value));
            }
        }

        return this;
    }

    /// <summary>The value of this view itself (a list member that is a scalar).</summary>
    public void AddValue(string value) => _pairs.Add(new(Prefix, value));

    /// <summary>
    /// The form body: <c>Action</c> and <c>Version</c> first, then the members in the order written, each name and value
    /// percent-encoded except RFC 3986 unreserved characters (botocore's <c>percent_encode</c>, safe "-_.~").
    /// </summary>
    public string ToFormBody(string action, string version)
    {
        var body = new StringBuilder();
        Append(body, "Action", action);
        Append(body, "Version", version);
        foreach (var (key, value) in _pairs)
        {
            Append(body, key, value);
        }

        return body.ToString();

        static void Append(StringBuilder body, string key, string value)
        {
            if (body.Length > 0)
            {
                body.Append('&');
            }

            body.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
    }

    /// <summary>botocore's ISO8601 / ISO8601_MICRO: whole seconds unless there is a fraction, always UTC with Z.</summary>
    public static string FormatTimestamp(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        var format = utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    private string Key(string name) => Prefix.Length == 0 ? name : $"{Prefix}.{name}";
}
