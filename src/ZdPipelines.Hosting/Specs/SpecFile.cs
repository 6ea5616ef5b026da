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
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return SpecFileResult.Rejected(new SpecError(path, 1, 1, "", "the spec path is a directory, not a file.",
                $"pass the file itself: -f {System.IO.Path.Combine(path, SpecFileDefaults.FileName)}."));
        }

        string text;
        try
        {
            text = await ReadBoundedAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return SpecFileResult.Rejected(new SpecError(path, 1, 1, "", "the spec file does not exist.",
                $"run zdp in the directory that holds {SpecFileDefaults.FileName}, or pass its path with -f path/to/zdp.yml."));
        }
        catch (SpecTooLargeException)
        {
            return SpecFileResult.Rejected(new SpecError(path, 1, 1, "", $"the spec is larger than {SpecFileDefaults.MaxBytes / 1024} KiB (a zdp.yml is a few KiB); zdp stopped reading it.",
                "pass the zdp.yml itself, not a device, a log or a generated dump."));
        }
        catch (UnauthorizedAccessException)
        {
            return SpecFileResult.Rejected(new SpecError(path, 1, 1, "", "the spec file cannot be read: permission denied.", "check the file's permissions for the user zdp runs as."));
        }
        catch (IOException)
        {
            return SpecFileResult.Rejected(new SpecError(path, 1, 1, "", "the spec file cannot be read: the operating system reported an I/O error.", "check that the path is a readable file."));
        }

        var result = SpecReader.Read(text, path, modules);
        return result.Spec is null || result.Errors.Count > 0
            ? new SpecFileResult(null, result.Errors)
            : new SpecFileResult(new SpecFile(result.Spec, path, text), []);
    }

    /// <summary>
    /// Reads at most <see cref="SpecFileDefaults.MaxBytes"/> (a regular file, or a pipe such as bash's &lt;(…)), as
    /// UTF-8 or what its byte order mark says.
    /// </summary>
    private static async Task<string> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[SpecFileDefaults.MaxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        if (total > SpecFileDefaults.MaxBytes)
        {
            throw new SpecTooLargeException();
        }

        using var reader = new StreamReader(new MemoryStream(buffer, 0, total), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}

/// <summary>Thrown by the bounded read when the source has more than <see cref="SpecFileDefaults.MaxBytes"/>.</summary>
internal sealed class SpecTooLargeException : Exception;

/// <summary>A spec file, or every problem that kept it from being one.</summary>
public sealed record SpecFileResult(SpecFile? File, IReadOnlyList<SpecError> Errors)
{
    public static SpecFileResult Rejected(SpecError error) => new(null, [error]);
}

public static class SpecFileDefaults
{
    /// <summary>The conventional file name, so `zdp deploy` in the service's directory needs no arguments.</summary>
    public const string FileName = "zdp.yml";

    /// <summary>
    /// At most this much is read from the spec path: a zdp.yml is a few KiB, and a path that points at /dev/zero or a
    /// runaway generated file must end in a message, not in the process running out of memory.
    /// </summary>
    public const int MaxBytes = 1024 * 1024;
}
