using ZdPipelines.Platforms.Aws.Clients;

namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>
/// A test against moto_server with a fresh moto state: moto is reset and the ALB environment rebuilt before each test
/// (xunit makes a new instance per test), so tests never see each other's resources.
/// </summary>
[Collection(UsesMotoServer.Name)]
public abstract class MotoTest(MotoServer moto) : IAsyncLifetime
{
    private protected MotoServer MotoServer { get; } = moto;

    private protected AwsClientFactory Factory { get; private set; } = null!;

    private protected ElbV2Client Elb { get; private set; } = null!;

    private protected AlbEnvironment Alb { get; private set; } = null!;

    /// <summary>False for tests that need moto clean, without the ALB.</summary>
    protected virtual bool BuildsAlb => true;

    public virtual async Task InitializeAsync()
    {
        await MotoServer.ResetAsync();
        Factory = Moto.Factory(MotoServer.Endpoint);
        Elb = Factory.CreateElbV2Client();
        if (BuildsAlb)
        {
            Alb = await AlbEnvironment.CreateAsync(Factory, Elb);
        }
    }

    public virtual Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
