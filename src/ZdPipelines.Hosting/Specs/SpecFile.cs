using System.Security.Cryptography;
using System.Text;
using ZdPipelines.Core.Modules;
using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Reading;

namespace ZdPipelines.Hosting.Specs;

/// <summary>A zdp.yml read from disk and validated, with the text it came from.</summary>
public sealed record SpecFile(DeploymentSpec Spec, string Path, string Text)
{
    /// <summary>SHA-256 of the spec text: the engine resumes a dead run of the same spec instead of refusing it.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>
    /// Reads and validates the spec at <paramref name="path"/>. Every problem is in the result's errors (file:line:col,
    /// path, message, fix); a host reports them and exits with <see cref="ExitCodes.InvalidInput"/> before it touches a platform.
    /// </summary>
    public static async Task<SpecFileResult> ReadAsync(string path, ModuleCatalog modules, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return SpecFileResult.Rejected(new SpecError(path, 1, 1, "", "the spec file does not exist.",
                $"run zdp in the directory that holds {SpecFileDefaults.FileName}, or pass its path with -f path/to/zdp.yml."));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SpecFileResult.Rejected(new SpecError(path, 1, 1, "", $"the spec file cannot be read: {e.Message.TrimEnd('.')}.", "check that the path is a readable file."));
        }

        var result = SpecReader.Read(text, path, modules);
        return result.Spec is null || result.Errors.Count > 0
            ? new SpecFileResult(null, result.Errors)
            : new SpecFileResult(new SpecFile(result.Spec, path, text), []);
    }
}

/// <summary>A spec file, or every problem that kept it from being one.</summary>
public sealed record SpecFileResult(SpecFile? File, IReadOnlyList<SpecError> Errors)
{
    public static SpecFileResult Rejected(SpecError error) => new(null, [error]);
}

public static class SpecFileDefaults
{
    /// <summary>The conventional file name, so `zdp deploy` in the service's directory needs no arguments.</summary>
    public const string FileName = "zdp.yml";
}
