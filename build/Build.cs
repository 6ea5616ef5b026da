using System.Diagnostics;

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

    Target Test => _ => _
        .Description("Runs every test project; trx files go to artifacts/test-results.")
        .DependsOn(Compile)
        .Executes(() => DotNet(
            "test", Solution, "--no-build", "-c", Configuration.ToString(),
            "--logger", "console;verbosity=normal",
            "--logger", "trx",
            // The container image tests need the image: TestImage builds it and runs them.
            "--filter", "Category!=Image",
            "--results-directory", Path.Combine(Artifacts, "test-results")));

    Target TestImage => _ => _
        .Description("Builds the GitHub Action's image with podman and runs it as the runner does (build/container/test-image.sh).")
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
