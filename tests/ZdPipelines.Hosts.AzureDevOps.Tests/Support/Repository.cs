namespace ZdPipelines.Hosts.AzureDevOps.Tests.Support;

/// <summary>The repository this test runs from, found by its .nuke/ marker above the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no .nuke/ directory above {AppContext.BaseDirectory}");
    }
}
