using System.Diagnostics;

namespace ZdPipelines.Bench;

/// <summary>
/// `--image`: the GitHub Action's container image per publish mode (jit, r2r, trimmed, aot): image size and the time
/// from `podman run` to the first platform call. The measuring is build/container/measure-image.sh (podman, stand-in
/// base images); this only runs it, so the numbers come from the same place whether the bench or a person asks.
/// </summary>
internal static class ImageBench
{
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "build", "container", "measure-image.sh")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar))
                ?? throw new InvalidOperationException("build/container/measure-image.sh not found above the bench's directory.");
        }

        using var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "build", "container", "measure-image.sh")]) { WorkingDirectory = root })
            ?? throw new InvalidOperationException("could not start bash.");
        await script.WaitForExitAsync(cancellationToken);
        return script.ExitCode;
    }
}
