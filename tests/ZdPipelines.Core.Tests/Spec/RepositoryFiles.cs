namespace ZdPipelines.Core.Tests.Spec;

/// <summary>Files of the repository that tests hold to the code (the schema, the docs).</summary>
internal static class RepositoryFiles
{
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root(), relativePath));

    private static string Root()
    {
        // Tests run from bin/<configuration>/<tfm>; the solution file marks the repository root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ZdPipelines.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ZdPipelines.sln above {AppContext.BaseDirectory}");
    }
}
