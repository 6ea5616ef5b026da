using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ZdPipelines.Platforms.Azure.Tests.Support;

namespace ZdPipelines.Platforms.Azure.Tests.AzureEmulator;

public sealed class EntraIdTests
{
    [Fact]
    public async Task The_discovery_document_names_the_token_endpoint_and_the_key_that_verifies_its_tokens()
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = new HttpClient(bed.Emulator.CreateHttpHandler());
        var authority = bed.Emulator.Endpoint.GetLeftPart(UriPartial.Authority);

        using var discovery = JsonDocument.Parse(await http.GetStringAsync($"{authority}/{bed.Emulator.TenantId}/v2.0/.well-known/openid-configuration"));
        var tokenEndpoint = discovery.RootElement.GetProperty("token_endpoint").GetString()!;
        using var keys = JsonDocument.Parse(await http.GetStringAsync(discovery.RootElement.GetProperty("jwks_uri").GetString()));
        var response = await http.PostAsync(tokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = bed.Principal.ClientId,
            ["client_secret"] = bed.Principal.Secret!,
            ["scope"] = "https://management.azure.com/.default",
        }));
        using var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal($"{authority}/{bed.Emulator.TenantId}/oauth2/v2.0/token", tokenEndpoint);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", token.RootElement.GetProperty("token_type").GetString());
        var jwt = token.RootElement.GetProperty("access_token").GetString()!.Split('.');
        var key = keys.RootElement.GetProperty("keys")[0];
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = FromBase64Url(key.GetProperty("x").GetString()!), Y = FromBase64Url(key.GetProperty("y").GetString()!) },
        });
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{jwt[0]}.{jwt[1]}"), FromBase64Url(jwt[2]), HashAlgorithmName.SHA256));
        using var claims = JsonDocument.Parse(FromBase64Url(jwt[1]));
        Assert.Equal(("https://management.azure.com", bed.Principal.ClientId), (claims.RootElement.GetProperty("aud").GetString(), claims.RootElement.GetProperty("appid").GetString()));
    }

    [Theory]
    [InlineData("authorization_code", "client_secret", "unsupported_grant_type")]
    [InlineData("client_credentials", "", "invalid_client")]
    [InlineData("client_credentials", "scope-without-default", "invalid_scope")]
    public async Task Requests_the_token_endpoint_cannot_honour_get_OAuth_errors(string grantType, string variant, string error)
    {
        await using var bed = await AzureTestBed.StartAsync();
        using var http = new HttpClient(bed.Emulator.CreateHttpHandler());
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = grantType,
            ["client_id"] = bed.Principal.ClientId,
            ["scope"] = variant == "scope-without-default" ? "https://management.azure.com/user_impersonation" : "https://management.azure.com/.default",
        };
        if (variant != "")
        {
            form["client_secret"] = bed.Principal.Secret!;
        }

        var response = await http.PostAsync(new Uri(bed.Emulator.Endpoint, $"{bed.Emulator.TenantId}/oauth2/v2.0/token"), new FormUrlEncodedContent(form));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.StartsWith("AADSTS", body.RootElement.GetProperty("error_description").GetString());
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }
}
