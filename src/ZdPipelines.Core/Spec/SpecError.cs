namespace ZdPipelines.Core.Spec;

/// <summary>
/// One problem in a spec, pointing at the offending node so an editor or CI log can jump to it.
/// </summary>
/// <param name="File">The path the spec was read from; empty for a spec built in code.</param>
/// <param name="Line">1-based line of the offending node; for a missing field, of the mapping that lacks it; 0 when the spec has no file.</param>
/// <param name="Column">1-based column, same rule as <paramref name="Line"/>.</param>
/// <param name="Path">Dotted path with 0-based [i] indexes, e.g. strategy.canary.steps[2].setWeight; empty for the whole file.</param>
/// <param name="Message">What is wrong, ending with a period.</param>
/// <param name="Fix">What to write instead, ending with a period.</param>
public sealed record SpecError(string File, int Line, int Column, string Path, string Message, string Fix)
{
    /// <summary>True when the problem has a position in a file (a spec read from YAML).</summary>
    public bool HasPosition => Line > 0;

    // One line in the compiler format (file:line:col: ...) so terminals and CI annotations link to it.
    public override string ToString()
    {
        var where = Path.Length == 0 ? "" : $"{Path}: ";
        var fix = Fix.Length == 0 ? "" : $" Fix: {Fix}";
        var at = HasPosition ? $"{File}:{Line}:{Column}: " : File.Length > 0 ? $"{File}: " : "";
        return $"{at}{where}{Message}{fix}";
    }
}
