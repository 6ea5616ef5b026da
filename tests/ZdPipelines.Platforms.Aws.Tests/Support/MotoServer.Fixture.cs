namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>One moto_server for the whole collection; xunit starts it before the first test and stops it after the last.</summary>
public sealed partial class MotoServer : IAsyncLifetime;

[CollectionDefinition(Name)]
public sealed class UsesMotoServer : ICollectionFixture<MotoServer>
{
    public const string Name = "moto_server";
}
