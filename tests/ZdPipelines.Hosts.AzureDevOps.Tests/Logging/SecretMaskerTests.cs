using ZdPipelines.Hosts.AzureDevOps.Logging;
using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.Logging;

public sealed class SecretMaskerTests : IDisposable
{
    private readonly StringWriter _log = new();

    public void Dispose() => _log.Dispose();

    [Fact]
    public void Each_secret_is_sent_to_the_agent_once()
    {
        var masker = new SecretMasker(new LoggingCommandWriter(_log));
        masker.Register("wJalrXUtnFEMI");
        masker.Register("wJalrXUtnFEMI");
        masker.Register(null);
        masker.Register(" ");
        var command = Assert.Single(LoggedCommand.Parse(_log.ToString()));
        Assert.Equal(("task.setsecret", "wJalrXUtnFEMI"), (command.Name, command.Data));
    }

    [Fact]
    public void Each_line_of_a_multi_line_secret_is_masked_too_since_the_agent_masks_line_by_line()
    {
        var masker = new SecretMasker(new LoggingCommandWriter(_log));
        masker.Register("-----BEGIN KEY-----\r\nMIIEvQ\n-----END KEY-----");
        Assert.Equal(
            // Then each line's URL-encoded form, which the session's masker hands back as it registers the lines.
            ["-----BEGIN KEY-----\r\nMIIEvQ\n-----END KEY-----", "-----BEGIN KEY-----", "MIIEvQ", "-----END KEY-----", "-----BEGIN%20KEY-----", "-----END%20KEY-----"],
            LoggedCommand.Parse(_log.ToString()).Select(c => c.Data));
    }

    [Fact]
    public void Text_that_bypasses_the_agent_is_masked_longest_secret_first()
    {
        var masker = new SecretMasker(new LoggingCommandWriter(_log));
        masker.Register("abc");
        masker.Register("abcdef");
        Assert.Equal("token *** and ***", masker.Apply("token abcdef and abc"));
    }

    [Fact]
    public void A_secret_and_its_url_encoded_form_reach_the_agent_and_the_sessions_masker()
    {
        var masker = new SecretMasker(new LoggingCommandWriter(_log));
        masker.Register("wJalrXUtnFEMI/K7MDENG+bPxRfiCY");

        Assert.Equal(["wJalrXUtnFEMI/K7MDENG+bPxRfiCY", "wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCY"], LoggedCommand.Parse(_log.ToString()).Select(c => c.Data));
        Assert.Equal("key ***, encoded ***", masker.Shared.Mask("key wJalrXUtnFEMI/K7MDENG+bPxRfiCY, encoded wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCY"));
    }

    [Fact]
    public void A_secret_a_platform_registers_with_the_session_is_sent_to_the_agent()
    {
        var masker = new SecretMasker(new LoggingCommandWriter(_log));
        masker.Shared.Add("ASIAEXAMPLESESSIONKEY");

        Assert.Equal("ASIAEXAMPLESESSIONKEY", Assert.Single(LoggedCommand.Parse(_log.ToString())).Data);
        Assert.Equal("id ***", masker.Apply("id ASIAEXAMPLESESSIONKEY"));
    }
}
