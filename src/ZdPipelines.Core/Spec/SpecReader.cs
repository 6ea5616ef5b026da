using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ZdPipelines.Core.Spec;

/// <summary>Reads and validates zdp.yml; the only way to obtain a <see cref="DeploymentSpec"/> from a file.</summary>
public static class SpecReader
{
    private const string SyntaxFix =
        "check the indentation (spaces, not tabs) around that line, and quote values that contain ': ' or ' #' or start with "
        + "{, [, >, |, !, &, *, % or @, e.g. condition: \">= 0.99\" or url: \"{address}/healthz\".";

    /// <summary>
    /// Parses and validates YAML text. Never throws on bad input: every problem found is in
    /// <see cref="SpecReadResult.Errors"/>, in file order. <paramref name="sourcePath"/> is only used in messages.
    /// </summary>
    public static SpecReadResult Read(string yaml, string sourcePath)
    {
        var errors = new SpecErrors(sourcePath);
        var root = Load(yaml ?? "", errors);
        var spec = root is null ? null : new SpecBinder(errors, sourcePath).Bind(root);
        return errors.Count == 0 && spec is not null
            ? new SpecReadResult(spec, [])
            : new SpecReadResult(null, errors.InFileOrder());
    }

    private static YamlMappingNode? Load(string yaml, SpecErrors errors)
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
            errors.Add(syntax?.Start ?? filter.LastPosition, "", $"YAML syntax error: {(syntax?.Message ?? e.Message).TrimEnd('.')}.", SyntaxFix);
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

    private static void ReportDuplicates(DuplicateKeyFilter filter, SpecErrors errors)
    {
        foreach (var d in filter.Duplicates)
        {
            errors.Add(d.At, d.Path, $"{d.Key} is defined twice (first on line {d.FirstLine}).",
                "remove one of them; YAML keeps only one and zdp does not guess which you meant.");
        }
    }
}
