using System.Diagnostics;
using System.Xml.Linq;

// The targets behind ./build.sh. Written against Nuke's API; the engine is TargetRunner.cs until Nuke.Common is available.
sealed class Build : NukeBuild
{
    // Compile, as in Nuke's template: a bare ./build.sh proves the code builds without running anything slow.
    public static int Main() => Execute<Build>(x => x.Compile);

    const string Solution = "ZdPipelines.sln";
    const string CliProject = "src/ZdPipelines.Cli";
    const string BenchProject = "bench/ZdPipelines.Bench";
    static readonly string[] SourceTrees = ["src", "tests", "bench"];

    [Parameter("Configuration for Compile, Test and Demo. Debug locally, Release when CI=true.")]
    readonly Configuration Configuration = IsLocalBuild ? Configuration.Debug : Configuration.Release;

    [Parameter("Strategy the Demo target deploys: canary, blue-green or rolling.")]
    readonly string Strategy = "canary";

    [Parameter("Demo: make the new version fail its gates, to show the rollback.")]
    readonly bool Faulty = false;

    [Parameter("Arguments for the benchmark, split on spaces; write --bench-args=<args> when they start with --.")]
    readonly string BenchArgs = "";

    static string Artifacts => Path.Combine(RootDirectory, "artifacts");

    Target Clean => _ => _
        .Description("Deletes artifacts/ and every bin/ and obj/ under src, tests and bench.")
        .Before(Restore)
        .Executes(() =>
        {
            DeleteDirectory(Artifacts);
            foreach (var tree in SourceTrees.Select(t => Path.Combine(RootDirectory, t)).Where(Directory.Exists))
            {
                var outputs = Directory.GetDirectories(tree, "bin", SearchOption.AllDirectories)
                    .Concat(Directory.GetDirectories(tree, "obj", SearchOption.AllDirectories));
                foreach (var output in outputs)
                {
                    DeleteDirectory(output);
                }
            }
        });

    Target Restore => _ => _
        .Description($"Restores NuGet packages for {Solution}.")
        .Executes(() => DotNet("restore", Solution));

    Target Compile => _ => _
        .Description($"Builds {Solution}.")
        .DependsOn(Restore)
        .Executes(() => DotNet("build", Solution, "--no-restore", "-c", Configuration.ToString()));

    // What CI runs (.ci/run installs the tools first): the unit tests, then the GitHub Action's image run as the runner
    // runs it, then the Azure DevOps task packed and run as the agent runs it. Each can also run alone.
    Target Test => _ => _
        .Description("Runs every test: UnitTest, TestImage (the Action's image, with podman) and TestTask (the .vsix, with Node).")
        .DependsOn(UnitTest, TestImage, TestTask);

    Target UnitTest => _ => _
        .Description("Runs every test project but the image tests; trx files go to artifacts/test-results.")
        .DependsOn(Compile)
        .Executes(() =>
        {
            var results = Path.Combine(Artifacts, "test-results");
            DeleteDirectory(results);
            try
            {
                DotNet(
                    "test", Solution, "--no-build", "-c", Configuration.ToString(),
                    "--logger", "console;verbosity=normal",
                    "--logger", "trx",
                    // The container image tests need the image: TestImage builds it and runs them.
                    "--filter", "Category!=Image",
                    "--results-directory", results);
            }
            finally
            {
                // The console log interleaves projects and a CI host may keep only its end: name every failure last.
                PrintFailedTests(results);
            }
        });

    Target TestImage => _ => _
        .Description("Builds the GitHub Action's image with podman and runs it as the runner does (build/container/test-image.sh).")
        .After(UnitTest)
        .Executes(() => Run("bash", Path.Combine(RootDirectory, "build", "container", "test-image.sh")));

    // Benchmarks always run in Release: Debug numbers mislead. Compile first so a broken tree fails fast.
    Target Bench => _ => _
        .Description($"Runs {BenchProject} in Release with --bench-args.")
        .DependsOn(Compile)
        .Executes(() =>
        {
            var project = Path.Combine(RootDirectory, BenchProject);
            if (!Directory.Exists(project) || Directory.GetFiles(project, "*.csproj").Length == 0)
            {
                throw new InvalidOperationException($"{BenchProject} not found: the benchmark project does not exist yet.");
            }

            DotNet(["run", "--project", BenchProject, "-c", "Release", "--", .. BenchArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        });

    Target Demo => _ => _
        .Description("Runs `zdp demo <strategy>` against the local platform (--strategy, --faulty).")
        .DependsOn(Compile)
        .Executes(() => DotNet(
            ["run", "--project", CliProject, "--no-build", "-c", Configuration.ToString(), "--", "demo", Strategy, .. Faulty ? ["--faulty"] : Array.Empty<string>()]));

    // Publish after Test: nothing untested leaves the build. Release regardless of --configuration, since this is what ships.
    // ReadyToRun (code compiled ahead of time, the JIT kept for hot methods) because most zdp commands live for
    // a second or less and would otherwise spend much of it in the JIT. linux-x64 is what the container image and CI
    // runners run; framework-dependent, so the installed .NET runtime serves it. The linux-x64 runtime and crossgen
    // packs restore from NuGet like any package, so a machine with only the SDK publishes it too.
    Target Publish => _ => _
        .Description($"Publishes the zdp CLI in Release, ReadyToRun for {PublishRuntime}, to artifacts/publish.")
        .DependsOn(Test)
        .Executes(() => DotNet(
            "publish", CliProject, "-c", "Release", "-r", PublishRuntime, "--self-contained", "false",
            "-p:PublishReadyToRun=true", "-o", Path.Combine(Artifacts, "publish")));

    const string PublishRuntime = "linux-x64";

    // The Azure DevOps task (azure-devops/, docs/azure-devops.md): zdp-task published per OS, packed with tfx-cli.
    const string TaskProject = "src/ZdPipelines.Hosts.AzureDevOps";
    const string TaskSources = "azure-devops";
    const string TaskFolder = "ZdpTask";
    static readonly string[] TaskRuntimes = ["linux-x64", "win-x64"];

    // Azure DevOps refuses larger extensions at upload: "exceeds the maximum package size '26214400'".
    const long VsixSizeLimit = 26_214_400;

    // Chosen by measurement (azure-devops/measure-payload.sh; the table is in docs/azure-devops.md): trimmed, one
    // compressed file per OS, about 9.8 MB of the .vsix each. The project keeps zdp's own assemblies whole, so the
    // trimmer's IL2026 warnings about their reflection-based JSON are expected and stay warnings.
    static readonly string[] TaskPublishProperties = [
        "--self-contained", "true",
        "-p:PublishTrimmed=true",
        "-p:PublishSingleFile=true",
        "-p:EnableCompressionInSingleFile=true",
        "-p:DebugType=none",
        "-p:WarningsNotAsErrors=IL2026",
    ];

    static string TaskArtifacts => Path.Combine(Artifacts, "azure-devops");

    static string VsixPath => Path.Combine(TaskArtifacts, "zdpipelines.vsix");

    // The trimmer takes most of a minute per OS and uses one core, so the two publishes run side by side (CI has 2
    // cores). They share one restore for both runtimes, and build the libraries first, so neither writes what the
    // other reads: each then compiles only its own runtime's zdp and zdp-task.
    Target PublishTask => _ => _
        .Description("Publishes zdp-task, the Azure DevOps task's program, for linux-x64 and win-x64 to artifacts/azure-devops/bin.")
        .After(Compile)
        .Executes(() =>
        {
            // Only the two programs are built per runtime; the libraries' restore (and so their build) is left as
            // Compile made it. Quoted, so the dotnet CLI passes the ';' through as a list instead of splitting
            // properties at it. PublishTrimmed at restore brings the trimmer's package.
            foreach (var project in new[] { TaskProject, CliProject })
            {
                DotNet("restore", project, "--no-dependencies", $"-p:RuntimeIdentifiers=\"{string.Join(';', TaskRuntimes)}\"", "-p:PublishTrimmed=true");
            }

            DotNet("build", TaskProject, "--no-restore", "-c", "Release");
            var publishes = TaskRuntimes.Select(runtime =>
            {
                var output = Path.Combine(TaskArtifacts, "bin", runtime);
                DeleteDirectory(output);
                return Task.Run(() => DotNet(["publish", TaskProject, "--no-restore", "-c", "Release", "-r", runtime, "-o", output, "-nodeReuse:false", .. TaskPublishProperties]));
            }).ToArray();
            Task.WaitAll(publishes);
        });

    Target PackTask => _ => _
        .Description("Builds artifacts/azure-devops/zdpipelines.vsix with tfx-cli, offline; fails on a tfx warning, a task.json problem or a size over 25 MiB.")
        .DependsOn(PublishTask)
        .Executes(() =>
        {
            var sources = Path.Combine(RootDirectory, TaskSources);
            RestoreTaskTools(sources);

            // The package is laid out as it installs: the manifest, and the task folder holding task.json, the
            // launcher, the icon and bin/<rid>/. Everything in azure-devops/ZdpTask ships; nothing else does.
            var root = Path.Combine(TaskArtifacts, "vsix-root");
            DeleteDirectory(root);
            var task = Directory.CreateDirectory(Path.Combine(root, TaskFolder)).FullName;
            File.Copy(Path.Combine(sources, "vss-extension.json"), Path.Combine(root, "vss-extension.json"));
            foreach (var file in Directory.GetFiles(Path.Combine(sources, TaskFolder)))
            {
                File.Copy(file, Path.Combine(task, Path.GetFileName(file)));
            }

            CopyDirectory(Path.Combine(TaskArtifacts, "bin"), Path.Combine(task, "bin"));

            // tfx only warns about task.json problems and still writes the package, so ask its validator directly.
            Node(sources, ["check-task.js", Path.Combine(task, "task.json")]);

            File.Delete(VsixPath);
            var tfx = Path.Combine(sources, "node_modules", "tfx-cli", "_build", "tfx-cli.js");
            var log = Node(sources, [tfx, "extension", "create", "--root", root, "--manifest-globs", "vss-extension.json", "--output-path", VsixPath, "--no-prompt"], capture: true);
            var warnings = log.Split('\n').Select(StripAnsi).Where(line => line.TrimStart().StartsWith("warning:", StringComparison.OrdinalIgnoreCase)).ToList();
            if (warnings.Count > 0)
            {
                throw new InvalidOperationException($"tfx printed {warnings.Count} warning line(s); fix them:{Environment.NewLine}{string.Join(Environment.NewLine, warnings)}");
            }

            var size = new FileInfo(VsixPath).Length;
            Console.WriteLine($"{Path.GetRelativePath(RootDirectory, VsixPath)}: {size:N0} bytes ({size * 100.0 / VsixSizeLimit:F1} % of Azure DevOps' {VsixSizeLimit:N0}-byte limit)");
            if (size > VsixSizeLimit)
            {
                throw new InvalidOperationException($"the .vsix is {size:N0} bytes; Azure DevOps refuses extensions over {VsixSizeLimit:N0}.");
            }
        });

    Target TestTask => _ => _
        .Description("Runs the task's Node tests (node --test): task.json, the launcher, and the packaged .vsix run as the agent runs it.")
        .DependsOn(PackTask)
        .After(UnitTest, TestImage)
        .Executes(() =>
        {
            var sources = Path.Combine(RootDirectory, TaskSources);
            var tests = Directory.GetFiles(Path.Combine(sources, "tests"), "*.test.js").Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(sources, f));
            Node(sources, ["--test", .. tests], environment: new Dictionary<string, string> { ["ZDP_VSIX"] = VsixPath });
        });

    /// <summary>Prints each failed test of the trx files under <paramref name="results"/> with the first lines of its message.</summary>
    static void PrintFailedTests(string results)
    {
        if (!Directory.Exists(results))
        {
            return;
        }

        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var failed = Directory.GetFiles(results, "*.trx")
            .SelectMany(f => XDocument.Load(f).Descendants(ns + "UnitTestResult"))
            .Where(r => (string?)r.Attribute("outcome") == "Failed")
            .ToList();
        if (failed.Count == 0)
        {
            return;
        }

        Console.WriteLine($"{failed.Count} failed test(s):");
        foreach (var result in failed)
        {
            var message = (string?)result.Descendants(ns + "Message").FirstOrDefault() ?? "";
            var stack = (string?)result.Descendants(ns + "StackTrace").FirstOrDefault() ?? "";
            Console.WriteLine($"  FAILED {result.Attribute("testName")?.Value} ({result.Attribute("duration")?.Value})");
            foreach (var line in message.Split('\n').Take(12).Concat(stack.Split('\n').Take(4)))
            {
                Console.WriteLine($"    {line.TrimEnd()}");
            }
        }
    }

    static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Console.WriteLine($"Deleting {Path.GetRelativePath(RootDirectory, path)}");
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>Runs a program in the repository root with output streamed straight through; a non-zero exit fails the target.</summary>
    static void Run(string executable, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(executable, arguments) { WorkingDirectory = RootDirectory })
            ?? throw new InvalidOperationException($"could not start {executable}.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} exited with code {process.ExitCode}.");
        }
    }

    static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    static string StripAnsi(string line) => System.Text.RegularExpressions.Regex.Replace(line, "\u001b\\[[0-9;]*m", "");

    /// <summary>npm ci in azure-devops/ when its tools are missing (.ci/run always runs it, from package-lock.json).</summary>
    static void RestoreTaskTools(string sources)
    {
        if (!File.Exists(Path.Combine(sources, "node_modules", "tfx-cli", "package.json")))
        {
            Run("npm", ["ci", "--no-audit", "--no-fund"], sources);
        }
    }

    /// <summary>Runs node in <paramref name="directory"/>; a non-zero exit fails the target. With capture, the output is printed and returned.</summary>
    static string Node(string directory, string[] arguments, bool capture = false, IReadOnlyDictionary<string, string>? environment = null) =>
        Run("node", arguments, directory, capture, environment);

    static string Run(string executable, string[] arguments, string directory, bool capture = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        Console.WriteLine($"> {executable} {string.Join(' ', arguments)}");
        var start = new ProcessStartInfo(executable, arguments) { WorkingDirectory = directory, RedirectStandardOutput = capture, RedirectStandardError = capture };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}.");
        var output = "";
        if (capture)
        {
            var error = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd() + error.Result;
            Console.Write(output);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} {arguments.FirstOrDefault()} exited with code {process.ExitCode}.");
        }

        return output;
    }

    /// <summary>Runs dotnet in the repository root with output streamed straight through; a non-zero exit fails the target.</summary>
    static void DotNet(params string[] arguments)
    {
        // build.sh exports DOTNET_EXE (as Nuke's does) so the build uses the same SDK that compiled it.
        var executable = Environment.GetEnvironmentVariable("DOTNET_EXE") is { Length: > 0 } exe ? exe : "dotnet";
        Console.WriteLine($"> dotnet {string.Join(' ', arguments.Select(a => a.IndexOfAny([' ', ';']) >= 0 ? $"\"{a}\"" : a))}");

        using var process = Process.Start(new ProcessStartInfo(executable, arguments) { WorkingDirectory = RootDirectory })
            ?? throw new InvalidOperationException($"could not start {executable}.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {arguments[0]} exited with code {process.ExitCode}.");
        }
    }
}

enum Configuration
{
    Debug,
    Release,
}
