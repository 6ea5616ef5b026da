using ZdPipelines.Hosting.Specs;
using ZdPipelines.Hosts.GitHubActions.Runner;

namespace ZdPipelines.Hosts.GitHubActions.Inputs;

/// <summary>
/// The spec zdp reads: the user's file itself, or, when it has <c>${NAME}</c> placeholders, a filled-in copy in a
/// private temporary directory (deleted at the end). Errors in the copy are reported against the user's file, whose
/// lines the substitution keeps.
/// </summary>
internal sealed class PreparedSpec : IDisposable
{
    private PreparedSpec(string path, string originalPath, string tempDirectory, string? problem)
    {
        Path = path;
        OriginalPath = originalPath;
        TempDirectory = tempDirectory;
        Problem = problem;
    }

    /// <summary>The file to hand to zdp.</summary>
    public string Path { get; }

    /// <summary>The spec input, as the user wrote it (relative to the workspace): what annotations name.</summary>
    public string OriginalPath { get; }

    /// <summary>Private to this run (mode 0700): the filled-in spec, the AWS token file.</summary>
    public string TempDirectory { get; }

    /// <summary>Why zdp must not run (a placeholder without a value), already reported as annotations.</summary>
    public string? Problem { get; }

    public static PreparedSpec Prepare(ActionInputs inputs, SecretMasker masker, WorkflowLog log)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(masker);
        ArgumentNullException.ThrowIfNull(log);
        var temp = Directory.CreateTempSubdirectory("zdp-action-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string text;
        try
        {
            text = File.ReadAllText(inputs.Spec);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // zdp itself reports a missing or unreadable spec, with the fix, as a spec error.
            return new PreparedSpec(inputs.Spec, inputs.Spec, temp, null);
        }

        masker.RegisterUrlPasswords(text);
        var substituted = SpecPlaceholders.Substitute(text, inputs.Vars);
        if (substituted.Missing.Count > 0)
        {
            foreach (var missing in substituted.Missing)
            {
                log.Error($"placeholder ${{{missing.Name}}} has no value. Fix: add a line {missing.Name}=<value> to the vars input, or write $${{{missing.Name}}} for a literal ${{{missing.Name}}}.",
                    new AnnotationLocation(inputs.Spec, missing.Line, missing.Column, $"zdp: no value for ${{{missing.Name}}}"));
            }

            var names = string.Join(", ", substituted.Missing.Select(m => "${" + m.Name + "}").Distinct(StringComparer.Ordinal));
            return new PreparedSpec(inputs.Spec, inputs.Spec, temp, $"{inputs.Spec}: no value for {names} in the vars input; nothing was changed.");
        }

        if (inputs.Vars.Count > 0 && substituted.Text == text)
        {
            log.Warning($"the vars input sets {string.Join(", ", inputs.Vars.Keys)}, but {inputs.Spec} has no ${{NAME}} placeholder to fill.", new AnnotationLocation(Title: "zdp: vars unused"));
        }

        if (substituted.Text == text)
        {
            return new PreparedSpec(inputs.Spec, inputs.Spec, temp, null);
        }

        var copy = System.IO.Path.Combine(temp, System.IO.Path.GetFileName(inputs.Spec));
        File.WriteAllText(copy, substituted.Text);
        return new PreparedSpec(copy, inputs.Spec, temp, null);
    }

    /// <summary>The path to show for <paramref name="file"/>: the user's spec for the filled-in copy.</summary>
    public string DisplayPath(string file) => file == Path ? OriginalPath : file;

    public void Dispose()
    {
        try
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The container goes away with the step; a leftover temporary directory harms nothing.
        }
    }
}
