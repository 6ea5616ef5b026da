using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec.Validation;

namespace ZdPipelines.Core.Spec.Reading;

/// <summary>
/// Reads zdp.yml: YAML syntax and the shape of every field (the binder, with each platform and gate source module
/// binding its own block), then the rules on the records (<see cref="SpecValidator"/>), with every problem placed at
/// its line and column.
/// </summary>
public static class SpecReader
{
    private const string SyntaxFix =
        "check the indentation (spaces, not tabs) around that line, and quote values that contain ': ' or ' #' or start with "
        + "{, [, >, |, !, &, *, % or @, e.g. condition: \">= 0.99\" or url: \"{address}/healthz\".";

    /// <summary>
    /// Parses and validates YAML text. Never throws on bad input: every problem found is in
    /// <see cref="SpecReadResult.Errors"/>, in file order. <paramref name="sourcePath"/> is only used in messages.
    /// </summary>
    public static SpecReadResult Read(string yaml, string sourcePath, ModuleCatalog modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var source = new SpecSource(sourcePath);
        var root = Load(yaml ?? "", source);
        if (root is null)
        {
            return new SpecReadResult(null, InFileOrder(source.Errors));
        }

        var spec = new SpecBinder(source, sourcePath, modules).Bind(root);
        var problems = new SpecProblems(source, sourcePath);
        SpecValidator.Validate(spec, modules, problems);
        return source.ErrorCount == 0 && problems.Count == 0
            ? new SpecReadResult(spec, [])
            : new SpecReadResult(null, InFileOrder([.. source.Errors, .. problems.Errors]));
    }

    /// <summary>Sections are checked in dependency order (gates before the steps that name them), but shown in file order.</summary>
    private static List<SpecError> InFileOrder(IEnumerable<SpecError> errors) => [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];

    private static YamlMappingNode? Load(string yaml, SpecSource errors)
    {
        var filter = new DuplicateKeyFilter(new Parser(new StringReader(yaml)));
        var stream = new YamlStream();
        try
        {
            stream.Load(filter);
        }
        catch (YamlException e)
        {
            ReportDuplicates(filter, errors);
            errors.Add(e.Start, "", $"YAML syntax error: {e.Message.TrimEnd('.')}.", SyntaxFix);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet 18 lets some malformed input through its parser as an event sequence the
            // representation model cannot build (an unclosed "[1, 2", a stray " : " at a line start) and throws
            // these without a position. Parsing again to the end usually reaches the real syntax error;
            // otherwise the last event read is the closest position known.
            ReportDuplicates(filter, errors);
            var syntax = FindSyntaxError(yaml);
            // Without a parser error to quote, say what such input usually is rather than the library's own text.
            errors.Add(syntax?.Start ?? filter.LastPosition, "",
                syntax is { } found ? $"YAML syntax error: {found.Message.TrimEnd('.')}." : "YAML syntax error: the YAML is not well formed here (often an unclosed [ or {, or a ':' with nothing before it).",
                SyntaxFix);
            return null;
        }

        ReportDuplicates(filter, errors);
        if (stream.Documents.Count == 0 || SpecValues.IsNull(stream.Documents[0].RootNode))
        {
            errors.Add(1, 1, "", "the file is empty.",
                "write at least name, platform and strategy; docs/spec.md has a complete example for each strategy.");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add(stream.Documents[1].RootNode, "",
                $"the file holds {stream.Documents.Count} YAML documents; a zdp.yml holds exactly one.",
                "remove the second '---' and everything after it, or move it to its own file.");
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode mapping)
        {
            return mapping;
        }

        errors.Add(root, "", $"expected a mapping of fields at the top of the file, got {SpecValues.Describe(root)}.",
            "start the file with fields such as name: shop-api, platform: and strategy: (see docs/spec.md).");
        return null;
    }

    private static YamlException? FindSyntaxError(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
            }

            return null;
        }
        catch (YamlException e)
        {
            return e;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static void ReportDuplicates(DuplicateKeyFilter filter, SpecSource errors)
    {
        foreach (var d in filter.Duplicates)
        {
            errors.Add(d.At, d.Path, $"{d.Key} is defined twice (first on line {d.FirstLine}).",
                "remove one of them; YAML keeps only one and zdp does not guess which you meant.");
        }
    }
}
