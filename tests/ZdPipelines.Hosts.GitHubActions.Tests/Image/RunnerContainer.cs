using System.Diagnostics;
using System.Text;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Image;

/// <summary>
/// Runs the Action's image the way the runner's ContainerActionHandler.cs does: the workspace mounted at
/// /github/workspace and made the working directory, /github/home as HOME, /github/workflow/event.json,
/// /github/file_commands with set_output_&lt;guid&gt; and step_summary_&lt;guid&gt;, INPUT_* with hyphens kept and GITHUB_*
/// passed by name (<c>-e NAME</c>, the value from podman's environment, so no secret is on a command line), and
/// <c>--network host</c> so the container reaches servers on 127.0.0.1 (never a bridge network here).
/// podman and the image come from build/container/test-image.sh: ZDP_PODMAN (a wrapper on a throw-away storage
/// root) and ZDP_TEST_IMAGE.
/// </summary>
internal sealed class RunnerContainer : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("zdp-runner-").FullName;
    private readonly string _outputName = $"set_output_{Guid.NewGuid()}";
    private readonly string _summaryName = $"step_summary_{Guid.NewGuid()}";
    private readonly StringBuilder _log = new();

    public RunnerContainer()
    {
        Podman = Environment.GetEnvironmentVariable("ZDP_PODMAN") is { Length: > 0 } podman ? podman
            : throw new InvalidOperationException("ZDP_PODMAN is not set: run the image tests through build/container/test-image.sh (./build.sh TestImage), which builds the image first.");
        Image = Environment.GetEnvironmentVariable("ZDP_TEST_IMAGE") is { Length: > 0 } image ? image
            : throw new InvalidOperationException("ZDP_TEST_IMAGE is not set: run the image tests through build/container/test-image.sh (./build.sh TestImage).");
        foreach (var dir in new[] { "workspace", "home", "workflow", "file_commands" })
        {
            Directory.CreateDirectory(Path.Combine(_root, dir));
        }

        File.WriteAllText(Path.Combine(_root, "workflow", "event.json"), """{"ref":"refs/heads/main","repository":{"full_name":"octo/shop"}}""");
        File.WriteAllText(Path.Combine(_root, "file_commands", _outputName), "");
        File.WriteAllText(Path.Combine(_root, "file_commands", _summaryName), "");
        Name = $"zdp-test-{Guid.NewGuid():N}";
        Variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GITHUB_ACTIONS"] = "true",
            ["CI"] = "true",
            ["HOME"] = "/github/home",
            ["GITHUB_WORKSPACE"] = "/github/workspace",
            ["GITHUB_EVENT_PATH"] = "/github/workflow/event.json",
            ["GITHUB_OUTPUT"] = $"/github/file_commands/{_outputName}",
            ["GITHUB_STEP_SUMMARY"] = $"/github/file_commands/{_summaryName}",
            ["GITHUB_REPOSITORY"] = "octo/shop",
            ["GITHUB_SHA"] = "6dcb09b5b57875f334f61aebed695e2e4193db5e",
            ["GITHUB_REF"] = "refs/heads/main",
            ["GITHUB_SERVER_URL"] = "https://github.com",
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_RUN_ATTEMPT"] = "1",
            ["RUNNER_TEMP"] = "/github/runner_temp",
        };
    }

    public string Podman { get; }

    public string Image { get; }

    /// <summary>The container's name, for <c>podman kill</c>.</summary>
    public string Name { get; }

    public Dictionary<string, string> Variables { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public string Summary => File.ReadAllText(Path.Combine(_root, "file_commands", _summaryName));

    public string OutputsText => File.ReadAllText(Path.Combine(_root, "file_commands", _outputName));

    public void WriteWorkspace(string name, string text) => File.WriteAllText(Path.Combine(_root, "workspace", name), text);

    /// <summary>Starts the container; the task ends with podman's exit code, which is the entrypoint's.</summary>
    public async Task<int> RunAsync(TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Podman)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "run", "--rm", "--name", Name, "--network", "host", "--pull", "never",
            "-w", "/github/workspace",
            "-v", $"{_root}/workspace:/github/workspace", "-v", $"{_root}/home:/github/home",
            "-v", $"{_root}/workflow:/github/workflow", "-v", $"{_root}/file_commands:/github/file_commands",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // Like the runner's docker create: `-e NAME`, the value in podman's own environment. podman 4.3 drops such a
        // NAME when it has a hyphen (INPUT_GITHUB-TOKEN), so those go through an env file readable only by root,
        // deleted with the directory; neither way puts a value on a command line.
        var envFile = Path.Combine(_root, "env");
        File.WriteAllLines(envFile, Variables.Where(v => !IsPlainName(v.Key)).Select(v => v.Value.Contains('\n', StringComparison.Ordinal)
            ? throw new InvalidOperationException($"{v.Key}: an env file cannot carry a multi-line value")
            : $"{v.Key}={v.Value}"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(envFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        start.ArgumentList.Add("--env-file");
        start.ArgumentList.Add(envFile);
        foreach (var (name, value) in Variables.Where(v => IsPlainName(v.Key)))
        {
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add(name);
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Image);
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await RunPodmanAsync("kill", "--signal", "SIGKILL", Name);
            throw new TimeoutException($"the container ran longer than {timeout}:\n{Log}");
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>A podman command beside the run (kill); returns its exit code.</summary>
    public async Task<int> RunPodmanAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Podman, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            // Files the container wrote as root in a rootless setup; the temporary directory is cleaned by the OS.
        }
    }

    private static bool IsPlainName(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Append(line).Append('\n');
        }
    }
}
