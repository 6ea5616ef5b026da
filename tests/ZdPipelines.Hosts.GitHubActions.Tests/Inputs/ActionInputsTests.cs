using ZdPipelines.Hosts.GitHubActions.Inputs;

namespace ZdPipelines.Hosts.GitHubActions.Tests.Inputs;

public sealed class ActionInputsTests
{
    [Fact]
    public void With_no_inputs_the_action_deploys_zdp_yml_and_writes_a_summary()
    {
        var reader = InputReaderTests.Reader();

        var inputs = ActionInputs.Read(reader);

        Assert.Empty(reader.Problems);
        Assert.Equal("deploy", inputs.Command);
        Assert.Equal("zdp.yml", inputs.Spec);
        Assert.True(inputs.Summary);
        Assert.Null(inputs.Aws);
        Assert.Null(inputs.Azure);
    }

    [Fact]
    public void Every_input_is_read_from_its_hyphenated_variable()
    {
        var reader = InputReaderTests.Reader(
            ("INPUT_COMMAND", "plan"), ("INPUT_SPEC", "svc/zdp.yml"), ("INPUT_GITHUB-TOKEN", "ghs_x"), ("INPUT_ENVIRONMENT", "production"),
            ("INPUT_ENVIRONMENT-URL", "https://shop.example.com"), ("INPUT_VARS", "VERSION=1.2.3\n"), ("INPUT_SUMMARY", "false"),
            ("INPUT_AWS-ROLE-ARN", "arn:aws:iam::123456789012:role/deploy"), ("INPUT_AWS-REGION", "eu-west-1"));

        var inputs = ActionInputs.Read(reader);

        Assert.Empty(reader.Problems);
        Assert.Equal(("plan", "svc/zdp.yml", "ghs_x", "production", "https://shop.example.com", false), (inputs.Command, inputs.Spec, inputs.GitHubToken, inputs.Environment, inputs.EnvironmentUrl, inputs.Summary));
        Assert.Equal("1.2.3", inputs.Vars["VERSION"]);
        Assert.Equal(new AwsAuthInputs("arn:aws:iam::123456789012:role/deploy", "eu-west-1", null), inputs.Aws);
    }

    [Fact]
    public void Every_bad_input_is_reported_at_once_each_naming_its_input()
    {
        var reader = InputReaderTests.Reader(
            ("INPUT_COMMAND", "deplyo"), ("INPUT_ENVIRONMENT-URL", "shop.example.com"), ("INPUT_AWS-ROLE-ARN", "deploy"),
            ("INPUT_AZURE-CLIENT-ID", "not-a-guid"));

        ActionInputs.Read(reader);

        Assert.Equal(
            ["command", "environment-url", "aws-role-arn", "aws-region", "azure-client-id", "azure-tenant-id", "azure-subscription-id"],
            reader.Problems.Select(p => p.Input));
        Assert.Equal("input 'command' is 'deplyo', which is not one of deploy, plan, promote, abort, rollback, status. Fix: write one of deploy, plan, promote, abort, rollback, status.", reader.Problems[0].ToString());
    }

    [Fact]
    public void Azure_federated_credentials_take_client_tenant_and_subscription_ids()
    {
        var (client, tenant, subscription) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var reader = InputReaderTests.Reader(("INPUT_AZURE-CLIENT-ID", client), ("INPUT_AZURE-TENANT-ID", tenant), ("INPUT_AZURE-SUBSCRIPTION-ID", subscription));

        var inputs = ActionInputs.Read(reader);

        Assert.Empty(reader.Problems);
        Assert.Equal(new AzureAuthInputs(client, tenant, subscription), inputs.Azure);
    }
}
