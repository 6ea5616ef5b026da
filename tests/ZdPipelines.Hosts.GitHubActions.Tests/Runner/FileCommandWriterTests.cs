using ZdPipelines.Hosts.GitHubActions.Runner;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Runner;

public sealed class FileCommandWriterTests : IDisposable
{
    private static readonly Guid Fixed = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"set_output_{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Each_output_is_a_heredoc_whose_closing_delimiter_ends_with_a_newline()
    {
        var writer = new FileCommandWriter(_path, () => Fixed);

        writer.Append("outcome", "promoted");
        writer.Append("summary", "line 1\nline 2");

        Assert.Equal(
            "outcome<<ghadelimiter_0f8fad5b-d9cb-469f-a165-70867728950e\npromoted\nghadelimiter_0f8fad5b-d9cb-469f-a165-70867728950e\n" +
            "summary<<ghadelimiter_0f8fad5b-d9cb-469f-a165-70867728950e\nline 1\nline 2\nghadelimiter_0f8fad5b-d9cb-469f-a165-70867728950e\n",
            File.ReadAllText(_path));
    }

    [Fact]
    public void A_value_containing_the_delimiter_is_refused_and_nothing_is_written()
    {
        var writer = new FileCommandWriter(_path, () => Fixed);

        var error = Assert.Throws<ArgumentException>(() => writer.Append("summary", "x\nghadelimiter_0f8fad5b-d9cb-469f-a165-70867728950e\ny"));

        Assert.Contains("contains the delimiter", error.Message);
        Assert.False(File.Exists(_path));
    }
}
