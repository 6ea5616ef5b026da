namespace ZdPipelines.Core.Spec;

/// <summary>Dotted spec paths with [i] indexes: "gates[1].http.url".</summary>
public static class SpecPaths
{
    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Item(string path, int index) => $"{path}[{index}]";

    /// <summary>"gates[1].http" for "gates[1].http.url", "gates" for "gates[1]", "" at the top.</summary>
    public static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }

    /// <summary>The last key of a path: "url" for "gates[1].http.url".</summary>
    public static string Leaf(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? path : path[(dot + 1)..];
    }
}
