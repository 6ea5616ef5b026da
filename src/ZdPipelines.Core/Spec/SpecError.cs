namespace ZdPipelines.Core.Spec;

/// <summary>
/// One problem in a zdp.yml, pointing at the offending node so an editor or CI log can jump to it.
/// </summary>
/// <param name="File">The path the spec was read from, as given to <see cref="SpecReader.Read"/>.</param>
/// <param name="Line">1-based line of the offending node; for a missing field, of the mapping that lacks it.</param>
/// <param name="Column">1-based column, same rule as <paramref name="Line"/>.</param>
/// <param name="Path">Dotted path with 0-based [i] indexes, e.g. strategy.canary.steps[2].setWeight; empty for the whole file.</param>
/// <param name="Message">What is wrong, ending with a period.</param>
/// <param name="Fix">What to write instead, ending with a period.</param>
public sealed record SpecError(string File, int Line, int Column, string Path, string Message, string Fix)
{
    // One line in the compiler format (file:line:col: ...) so terminals and CI annotations link to it.
    public override string ToString()
    {
        var where = Path.Length == 0 ? "" : $"{Path}: ";
        var fix = Fix.Length == 0 ? "" : $" Fix: {Fix}";
        return $"{File}:{Line}:{Column}: {where}{Message}{fix}";
    }
}
