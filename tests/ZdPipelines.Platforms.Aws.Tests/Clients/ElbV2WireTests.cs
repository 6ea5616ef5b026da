using System.Xml.Linq;
using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Tests.Clients;

public sealed class ElbV2WireTests
{
    // A DescribeRules answer with every condition and action kind, a JwtValidationConfig action and a Transforms
    // member this client does not model, and an OIDC action whose ClientSecret AWS never returns.
    private const string DescribeRulesXml = """
        <DescribeRulesResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <DescribeRulesResult>
            <Rules>
              <member>
                <RuleArn>arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/1/2/3</RuleArn>
                <Priority>10</Priority>
                <IsDefault>false</IsDefault>
                <Conditions>
                  <member><Field>host-header</Field><Values><member>api.example.com</member></Values><HostHeaderConfig><Values><member>api.example.com</member></Values></HostHeaderConfig></member>
                  <member><Field>path-pattern</Field><PathPatternConfig><Values><member>/v2/*</member><member>/v3/*</member></Values></PathPatternConfig></member>
                  <member><Field>http-header</Field><HttpHeaderConfig><HttpHeaderName>X-Canary</HttpHeaderName><Values><member>true</member></Values></HttpHeaderConfig></member>
                  <member><Field>query-string</Field><QueryStringConfig><Values><member><Key>version</Key><Value>v2</Value></member><member><Value>beta</Value></member></Values></QueryStringConfig></member>
                  <member><Field>http-request-method</Field><HttpRequestMethodConfig><Values><member>GET</member><member>HEAD</member></Values></HttpRequestMethodConfig></member>
                  <member><Field>source-ip</Field><SourceIpConfig><Values><member>10.0.0.0/8</member></Values></SourceIpConfig></member>
                  <member><Field>path-pattern</Field><PathPatternConfig><RegexValues><member>^/api/v[0-9]+$</member></RegexValues></PathPatternConfig></member>
                </Conditions>
                <Actions>
                  <member>
                    <Type>authenticate-oidc</Type><Order>1</Order>
                    <AuthenticateOidcConfig>
                      <Issuer>https://issuer.example.com</Issuer><AuthorizationEndpoint>https://issuer.example.com/auth</AuthorizationEndpoint>
                      <TokenEndpoint>https://issuer.example.com/token</TokenEndpoint><UserInfoEndpoint>https://issuer.example.com/userinfo</UserInfoEndpoint>
                      <ClientId>zdp</ClientId><SessionCookieName>AWSELBAuthSessionCookie</SessionCookieName><Scope>openid</Scope><SessionTimeout>604800</SessionTimeout>
                      <AuthenticationRequestExtraParams><entry><key>display</key><value>page</value></entry><entry><key>prompt</key><value>login</value></entry></AuthenticationRequestExtraParams>
                      <OnUnauthenticatedRequest>authenticate</OnUnauthenticatedRequest>
                    </AuthenticateOidcConfig>
                  </member>
                  <member>
                    <Type>authenticate-cognito</Type><Order>2</Order>
                    <AuthenticateCognitoConfig><UserPoolArn>arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc</UserPoolArn><UserPoolClientId>client</UserPoolClientId><UserPoolDomain>auth</UserPoolDomain><SessionTimeout>3600</SessionTimeout></AuthenticateCognitoConfig>
                  </member>
                  <member>
                    <Type>jwt-validation</Type><Order>3</Order>
                    <JwtValidationConfig><JwksEndpoint>https://issuer.example.com/jwks</JwksEndpoint><Issuer>https://issuer.example.com</Issuer>
                      <AdditionalClaims><member><Format>single-string</Format><Name>aud</Name><Values><member>zdp</member></Values></member></AdditionalClaims></JwtValidationConfig>
                  </member>
                  <member>
                    <Type>forward</Type><Order>4</Order><TargetGroupArn>arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/73e2d6bc24d8a067</TargetGroupArn>
                    <ForwardConfig>
                      <TargetGroups>
                        <member><TargetGroupArn>arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/73e2d6bc24d8a067</TargetGroupArn><Weight>900</Weight></member>
                        <member><TargetGroupArn>arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/09a3f2b6a8c9e1d0</TargetGroupArn><Weight>100</Weight></member>
                      </TargetGroups>
                      <TargetGroupStickinessConfig><Enabled>false</Enabled></TargetGroupStickinessConfig>
                    </ForwardConfig>
                  </member>
                  <member><Type>redirect</Type><Order>5</Order><RedirectConfig><Protocol>HTTPS</Protocol><Port>443</Port><Host>#{host}</Host><Path>/#{path}</Path><Query>#{query}</Query><StatusCode>HTTP_301</StatusCode></RedirectConfig></member>
                  <member><Type>fixed-response</Type><Order>6</Order><FixedResponseConfig><MessageBody>down for maintenance</MessageBody><StatusCode>503</StatusCode><ContentType>text/plain</ContentType></FixedResponseConfig></member>
                </Actions>
                <Transforms><member><Type>host-header-rewrite</Type></member></Transforms>
              </member>
            </Rules>
            <NextMarker>abc</NextMarker>
          </DescribeRulesResult>
          <ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555555</RequestId></ResponseMetadata>
        </DescribeRulesResponse>
        """;

    // botocore 1.43.11: QueryParser on DescribeRulesXml, then QuerySerializer for ModifyRule with that rule's
    // Conditions and Actions (the order of members is botocore's; the service does not care about it).
    private const string BotocoreModifyRule = """
        Conditions.member.1.Field=host-header
        Conditions.member.1.Values.member.1=api.example.com
        Conditions.member.1.HostHeaderConfig.Values.member.1=api.example.com
        Conditions.member.2.Field=path-pattern
        Conditions.member.2.PathPatternConfig.Values.member.1=/v2/*
        Conditions.member.2.PathPatternConfig.Values.member.2=/v3/*
        Conditions.member.3.Field=http-header
        Conditions.member.3.HttpHeaderConfig.HttpHeaderName=X-Canary
        Conditions.member.3.HttpHeaderConfig.Values.member.1=true
        Conditions.member.4.Field=query-string
        Conditions.member.4.QueryStringConfig.Values.member.1.Key=version
        Conditions.member.4.QueryStringConfig.Values.member.1.Value=v2
        Conditions.member.4.QueryStringConfig.Values.member.2.Value=beta
        Conditions.member.5.Field=http-request-method
        Conditions.member.5.HttpRequestMethodConfig.Values.member.1=GET
        Conditions.member.5.HttpRequestMethodConfig.Values.member.2=HEAD
        Conditions.member.6.Field=source-ip
        Conditions.member.6.SourceIpConfig.Values.member.1=10.0.0.0/8
        Conditions.member.7.Field=path-pattern
        Conditions.member.7.PathPatternConfig.RegexValues.member.1=^/api/v[0-9]+$
        Actions.member.1.Type=authenticate-oidc
        Actions.member.1.AuthenticateOidcConfig.Issuer=https://issuer.example.com
        Actions.member.1.AuthenticateOidcConfig.AuthorizationEndpoint=https://issuer.example.com/auth
        Actions.member.1.AuthenticateOidcConfig.TokenEndpoint=https://issuer.example.com/token
        Actions.member.1.AuthenticateOidcConfig.UserInfoEndpoint=https://issuer.example.com/userinfo
        Actions.member.1.AuthenticateOidcConfig.ClientId=zdp
        Actions.member.1.AuthenticateOidcConfig.SessionCookieName=AWSELBAuthSessionCookie
        Actions.member.1.AuthenticateOidcConfig.Scope=openid
        Actions.member.1.AuthenticateOidcConfig.SessionTimeout=604800
        Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key=display
        Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value=page
        Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.2.key=prompt
        Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.2.value=login
        Actions.member.1.AuthenticateOidcConfig.OnUnauthenticatedRequest=authenticate
        Actions.member.1.Order=1
        Actions.member.2.Type=authenticate-cognito
        Actions.member.2.AuthenticateCognitoConfig.UserPoolArn=arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc
        Actions.member.2.AuthenticateCognitoConfig.UserPoolClientId=client
        Actions.member.2.AuthenticateCognitoConfig.UserPoolDomain=auth
        Actions.member.2.AuthenticateCognitoConfig.SessionTimeout=3600
        Actions.member.2.Order=2
        Actions.member.3.Type=jwt-validation
        Actions.member.3.Order=3
        Actions.member.3.JwtValidationConfig.JwksEndpoint=https://issuer.example.com/jwks
        Actions.member.3.JwtValidationConfig.Issuer=https://issuer.example.com
        Actions.member.3.JwtValidationConfig.AdditionalClaims.member.1.Format=single-string
        Actions.member.3.JwtValidationConfig.AdditionalClaims.member.1.Name=aud
        Actions.member.3.JwtValidationConfig.AdditionalClaims.member.1.Values.member.1=zdp
        Actions.member.4.Type=forward
        Actions.member.4.TargetGroupArn=arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/73e2d6bc24d8a067
        Actions.member.4.Order=4
        Actions.member.4.ForwardConfig.TargetGroups.member.1.TargetGroupArn=arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/73e2d6bc24d8a067
        Actions.member.4.ForwardConfig.TargetGroups.member.1.Weight=900
        Actions.member.4.ForwardConfig.TargetGroups.member.2.TargetGroupArn=arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/09a3f2b6a8c9e1d0
        Actions.member.4.ForwardConfig.TargetGroups.member.2.Weight=100
        Actions.member.4.ForwardConfig.TargetGroupStickinessConfig.Enabled=false
        Actions.member.5.Type=redirect
        Actions.member.5.Order=5
        Actions.member.5.RedirectConfig.Protocol=HTTPS
        Actions.member.5.RedirectConfig.Port=443
        Actions.member.5.RedirectConfig.Host=#{host}
        Actions.member.5.RedirectConfig.Path=/#{path}
        Actions.member.5.RedirectConfig.Query=#{query}
        Actions.member.5.RedirectConfig.StatusCode=HTTP_301
        Actions.member.6.Type=fixed-response
        Actions.member.6.Order=6
        Actions.member.6.FixedResponseConfig.MessageBody=down for maintenance
        Actions.member.6.FixedResponseConfig.StatusCode=503
        Actions.member.6.FixedResponseConfig.ContentType=text/plain
        """;

    [Fact]
    public void A_rule_read_from_xml_is_written_back_as_botocore_writes_it_plus_UseExistingClientSecret()
    {
        var rule = ElbV2Wire.ReadRule(XElement.Parse(DescribeRulesXml).Descendants().First(e => e.Name.LocalName == "Rules").Elements().Single());

        var written = new QueryParameters()
            .AddList("Conditions", rule.Conditions, ElbV2Wire.WriteCondition)
            .AddList("Actions", rule.Actions, ElbV2Wire.WriteAction)
            .Pairs.Select(p => $"{p.Key}={p.Value}");

        var expected = BotocoreModifyRule.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append("Actions.member.1.AuthenticateOidcConfig.UseExistingClientSecret=true");
        Assert.Equal(expected.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Known_members_are_typed_and_unknown_ones_kept_aside()
    {
        var rule = ElbV2Wire.ReadRule(XElement.Parse(DescribeRulesXml).Descendants().First(e => e.Name.LocalName == "Rules").Elements().Single());

        Assert.Equal("10", rule.Priority);
        Assert.False(rule.IsDefault);
        var forward = rule.Actions!.Single(a => a.Type == "forward").ForwardConfig!;
        Assert.Equal([900, 100], forward.TargetGroups!.Select(t => t.Weight ?? -1));
        Assert.False(forward.TargetGroupStickinessConfig!.Enabled);
        Assert.Null(forward.TargetGroupStickinessConfig.DurationSeconds);
        Assert.Equal("X-Canary", rule.Conditions![2].HttpHeaderConfig!.HttpHeaderName);
        Assert.Equal(["version", null], rule.Conditions[3].QueryStringConfig!.Values!.Select(v => v.Key));
        Assert.Equal("page", rule.Actions![0].AuthenticateOidcConfig!["AuthenticationRequestExtraParams.entry.1.value"]);
        Assert.Equal("https://issuer.example.com/jwks", rule.Actions[2].AdditionalMembers!["JwtValidationConfig.JwksEndpoint"]);
        Assert.Equal("HTTP_301", rule.Actions[4].RedirectConfig!.StatusCode);
        Assert.Equal("down for maintenance", rule.Actions[5].FixedResponseConfig!.MessageBody);
    }

    [Fact]
    public void An_oidc_action_that_carries_its_secret_is_sent_without_UseExistingClientSecret()
    {
        var action = new ZdPipelines.Platforms.Aws.Clients.Action
        {
            Type = "authenticate-oidc",
            AuthenticateOidcConfig = new Dictionary<string, string> { ["ClientId"] = "zdp", ["ClientSecret"] = "s3cret" },
        };

        var written = new QueryParameters().AddList("Actions", [action], ElbV2Wire.WriteAction).Pairs.Select(p => p.Key);

        Assert.DoesNotContain("Actions.member.1.AuthenticateOidcConfig.UseExistingClientSecret", written);
    }

    [Fact]
    public void Empty_lists_stay_empty_and_absent_ones_stay_absent()
    {
        var listener = ElbV2Wire.ReadListener(XElement.Parse(
            "<member><ListenerArn>arn:l</ListenerArn><DefaultActions><member><Type>forward</Type><TargetGroupArn>arn:tg</TargetGroupArn></member></DefaultActions><AlpnPolicy/></member>"));

        Assert.NotNull(listener.AlpnPolicy);
        Assert.Empty(listener.AlpnPolicy);
        Assert.Null(listener.Certificates);
        Assert.Null(listener.DefaultActions!.Single().ForwardConfig);
        Assert.Null(listener.DefaultActions!.Single().AdditionalMembers);
    }
}
