using ZdPipelines.Hosts.GitHubActions.Runner;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Runner;

public sealed class SecretMaskerTests
{
    private readonly StringWriter _text = new() { NewLine = "\n" };

    [Fact]
    public void A_secret_is_registered_once_before_it_is_used()
    {
        var masker = new SecretMasker(new WorkflowLog(_text));

        masker.Register("ghs_abc");
        masker.Register("ghs_abc");
        masker.Register("  ");

        Assert.Equal("::add-mask::ghs_abc\n", _text.ToString());
    }

    [Fact]
    public void Each_line_of_a_multi_line_secret_is_registered_too()
    {
        var masker = new SecretMasker(new WorkflowLog(_text));

        masker.Register("-----BEGIN KEY-----\nMIIEvQ\n-----END KEY-----");

        Assert.Equal(
            ["::add-mask::-----BEGIN KEY-----%0AMIIEvQ%0A-----END KEY-----", "::add-mask::-----BEGIN KEY-----", "::add-mask::MIIEvQ", "::add-mask::-----END KEY-----"],
            _text.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Passwords_in_urls_are_registered()
    {
        var masker = new SecretMasker(new WorkflowLog(_text));

        masker.RegisterUrlPasswords("probe: https://deploy:p%40ss@shop.example.com/health\nother: https://shop.example.com/x");

        Assert.Equal("::add-mask::p@ss\n", _text.ToString());
    }

    [Fact]
    public void Apply_replaces_every_registered_value_longest_first()
    {
        var masker = new SecretMasker(new WorkflowLog(_text));
        masker.Register("abc");
        masker.Register("abcdef");

        Assert.Equal("token *** and ***", masker.Apply("token abcdef and abc"));
    }
}
