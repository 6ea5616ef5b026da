using ZdPipelines.Hosts.AzureDevOps.ServiceConnections;
using ZdPipelines.Hosts.AzureDevOps.Tests.Support;

namespace ZdPipelines.Hosts.AzureDevOps.Tests.ServiceConnections;

public sealed class ServiceEndpointTests
{
    private const string Id = "5e1e2c7a-8d1b-4c4f-9a51-2f0d3b6e7a90";

    [Fact]
    public void Parameters_and_data_are_read_by_their_key_in_any_case()
    {
        var environment = new Agent().Endpoint(Id, "ServicePrincipal",
            new Dictionary<string, string> { ["serviceprincipalid"] = "client", ["tenantid"] = "tenant" },
            new Dictionary<string, string> { ["SubscriptionId"] = "sub" }, "https://management.azure.com/").Environment();

        var endpoint = ServiceEndpoint.Find(environment, Id.ToUpperInvariant())!;
        Assert.Equal("ServicePrincipal", endpoint.Scheme);
        Assert.Equal("https://management.azure.com/", endpoint.Url);
        Assert.Equal("client", endpoint.AuthParameter("serviceprincipalid"));
        Assert.Equal("tenant", endpoint.AuthParameter("TenantId"));
        Assert.Equal("sub", endpoint.Data("subscriptionid"));
        Assert.Null(endpoint.AuthParameter("serviceprincipalkey"));
    }

    [Fact]
    public void The_json_copy_stands_in_for_a_missing_single_variable()
    {
        var environment = new TaskEnvironment([
            new($"ENDPOINT_AUTH_{Id}", """{"parameters":{"username":"AKIA","password":"s"},"scheme":"UsernamePassword"}"""),
            new($"ENDPOINT_DATA_{Id}", """{"region":"eu-west-1"}"""),
        ]);

        var endpoint = ServiceEndpoint.Find(environment, Id)!;
        Assert.Equal(("UsernamePassword", "AKIA", "s", "eu-west-1"), (endpoint.Scheme, endpoint.AuthParameter("username"), endpoint.AuthParameter("password"), endpoint.Data("region")));
    }

    [Fact]
    public void An_id_the_agent_passed_nothing_for_is_not_found()
    {
        Assert.Null(ServiceEndpoint.Find(new Agent().Environment(), Id));
    }
}
