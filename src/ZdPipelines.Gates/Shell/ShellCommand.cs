using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ZdPipelines.Gates.Shell;

/// <summary>
/// Runs one command line through the platform shell (/bin/sh -c, cmd /c on Windows), the way users
/// test it in their terminal. Shared by command gates and hooks.
/// </summary>
public static class ShellCommand
{
    /// <summary>How long a killed process tree gets to be reaped before we stop waiting for it.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="commandLine"/> to completion, reporting each output line as it arrives. On
    /// cancellation the whole process tree is killed (a hook's `sleep` child must not outlive zdp) and
    /// <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public static async Task<ShellResult> RunAsync(
        string commandLine,
        IReadOnlyDictionary<string, string> environment,
        Action<string>? onLine,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = StartInfo(commandLine);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var gate = new object();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var combined = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Receive(e.Data, stdout);
        process.ErrorDataReceived += (_, e) => Receive(e.Data, stderr);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not start {start.FileName} to run '{commandLine}': {e.Message}", e);
        }

        // Nothing is ever typed into a hook: a command that reads stdin gets end-of-file instead of hanging.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Also waits for both pipes to reach end-of-file, so no output line is lost.
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        lock (gate)
        {
            return new ShellResult(process.ExitCode, stdout.ToString(), stderr.ToString(), combined.ToString());
        }

        void Receive(string? line, StringBuilder stream)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                stream.AppendLine(line);
                combined.AppendLine(line);
            }

            onLine?.Invoke(line);
        }
    }

    /// <summary>
    /// On Linux the shell starts in a session (and process group) of its own, so cancellation can kill the
    /// group in one signal. Killing the tree by walking it races with a shell that is still forking: a
    /// child forked just after the walk would outlive zdp.
    /// </summary>
    private static readonly string? Setsid = OperatingSystem.IsLinux() && File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : null;

    private static ProcessStartInfo StartInfo(string commandLine)
    {
        var start = OperatingSystem.IsWindows()
            // cmd takes everything after /c verbatim; ArgumentList would add quotes cmd then misreads.
            ? new ProcessStartInfo("cmd.exe") { Arguments = "/c " + commandLine }
            : Setsid is not null
                // setsid execs in place (zdp's child is no group leader), so the group id is the shell's pid.
                ? new ProcessStartInfo(Setsid) { ArgumentList = { "/bin/sh", "-c", commandLine } }
                : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", commandLine } };
        start.UseShellExecute = false;
        start.CreateNoWindow = true;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;
        return start;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (Setsid is not null)
            {
                using var group = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-KILL", "--", $"-{process.Id}" }, UseShellExecute = false });
                group?.WaitForExit(KillWait);
            }

            process.Kill(entireProcessTree: true);
            process.WaitForExit(KillWait);
        }
        catch (InvalidOperationException)
        {
            // Exited between the cancellation and the kill: nothing left to stop.
        }
    }
}

/// <summary>How a shell command ended, with its output kept apart and interleaved.</summary>
public sealed record ShellResult(int ExitCode, string Stdout, string Stderr, string Combined);
