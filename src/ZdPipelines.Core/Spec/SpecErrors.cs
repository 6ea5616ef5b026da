using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec;

/// <summary>
/// Collects every problem found while reading a spec, so one run of `zdp validate` shows them all
/// instead of making the user fix them one at a time.
/// </summary>
internal sealed class SpecErrors(string file)
{
    private readonly List<SpecError> _errors = [];

    public int Count => _errors.Count;

    public void Add(YamlNode node, string path, string message, string fix) => Add(node.Start, path, message, fix);

    public void Add(Mark at, string path, string message, string fix) =>
        Add((int)Math.Max(1, at.Line), (int)Math.Max(1, at.Column), path, message, fix);

    public void Add(int line, int column, string path, string message, string fix) =>
        _errors.Add(new SpecError(file, line, column, path, message, fix));

    /// <summary>In file order; sections are checked in dependency order (gates before the steps that name them), not file order.</summary>
    public IReadOnlyList<SpecError> InFileOrder() =>
        [.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
}
