using System.Security.Cryptography;
using System.Text;
using ZdPipelines.Cli.Output;
using ZdPipelines.Core.Spec;

namespace ZdPipelines.Cli.Commands;

/// <summary>A zdp.yml read from disk and validated, with the text it came from.</summary>
internal sealed record SpecFile(DeploymentSpec Spec, string Path, string Text)
{
    /// <summary>SHA-256 of the spec text: the engine resumes a dead run of the same spec instead of refusing it.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>
    /// Reads and validates the spec. On any problem it prints every error (file:line:col: path: message.
    /// Fix: ...) and returns null; the caller exits with <see cref="ExitCodes.InvalidInput"/> before it
    /// touches a platform.
    /// </summary>
    public static async Task<SpecFile?> ReadAsync(string path, CommandOutput output, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Report(output, [new SpecError(path, 1, 1, "", "the spec file does not exist.",
                $"run zdp in the directory that holds {GlobalOptions.DefaultSpecFile}, or pass its path with -f path/to/zdp.yml.")]);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report(output, [new SpecError(path, 1, 1, "", $"the spec file cannot be read: {e.Message.TrimEnd('.')}.", "check that the path is a readable file.")]);
            return null;
        }

        var result = SpecReader.Read(text, path);
        if (result.Spec is null || result.Errors.Count > 0)
        {
            Report(output, result.Errors);
            return null;
        }

        return new SpecFile(result.Spec, path, text);
    }

    private static void Report(CommandOutput output, IReadOnlyList<SpecError> errors)
    {
        if (output.IsJson)
        {
            output.Json(new { @event = "invalidSpec", errors }, CliJson.Lines);
        }

        foreach (var error in errors)
        {
            output.Problem(error.ToString());
        }

        output.Problem(errors.Count == 1 ? "1 problem with the spec; nothing was changed." : $"{errors.Count} problems with the spec; nothing was changed.");
    }
}
