namespace ZdPipelines.Platforms.Azure.Clients;

/// <summary>The ARM clients zdp uses, sharing one pipeline (one token cache, one call counter).</summary>
internal sealed class ArmClients
{
    public ArmClients(ArmClientOptions options, AzureCredentialSource credential, TimeProvider timeProvider)
    {
        Pipeline = new ArmPipeline(options, credential, timeProvider);
        WebApps = new WebAppsClient(Pipeline);
        Tags = new TagsClient(Pipeline);
        Metrics = new MetricsClient(Pipeline);
    }

    public ArmPipeline Pipeline { get; }

    public WebAppsClient WebApps { get; }

    public TagsClient Tags { get; }

    public MetricsClient Metrics { get; }

    public ArmCallCounter Counter => Pipeline.Counter;
}
