using ZdPipelines.Hosting.Specs;

namespace ZdPipelines.Hosts.AzureDevOps.Inputs;

/// <summary>
/// The spec the session reads: the user's file itself, or, when the <c>vars</c> input fills <c>${NAME}</c>
/// placeholders in it (<see cref="SpecPlaceholders"/>, as in the GitHub Action), a filled-in copy in the run's private
/// directory. Filling keeps every line where it was, so errors in the copy are reported against the user's file. As in
/// the Action, a placeholder with no value stops the run, even with no vars at all: <c>$${NAME}</c> writes a literal one.
/// </summary>
internal sealed record TaskSpec(string Path, string OriginalPath, IReadOnlyList<MissingVariable> Missing, bool VarsUnused)
{
    public static TaskSpec Prepare(string specPath, IReadOnlyDictionary<string, string> vars, string privateDirectory)
    {
        ArgumentNullException.ThrowIfNull(vars);
        string text;
        try
        {
            text = File.ReadAllText(specPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The session reports an unreadable spec, with the fix, as a spec error.
            return new TaskSpec(specPath, specPath, [], false);
        }

        var filled = SpecPlaceholders.Substitute(text, vars);
        if (filled.Missing.Count > 0)
        {
            return new TaskSpec(specPath, specPath, filled.Missing, false);
        }

        if (filled.Text == text)
        {
            return new TaskSpec(specPath, specPath, [], VarsUnused: vars.Count > 0);
        }

        var copy = System.IO.Path.Combine(privateDirectory, System.IO.Path.GetFileName(specPath));
        File.WriteAllText(copy, filled.Text);
        return new TaskSpec(copy, specPath, [], false);
    }

    /// <summary>The path to show for <paramref name="file"/>: the user's spec for the filled-in copy.</summary>
    public string DisplayPath(string file) => file == Path ? OriginalPath : file;
}
