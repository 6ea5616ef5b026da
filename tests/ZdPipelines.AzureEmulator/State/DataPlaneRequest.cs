namespace ZdPipelines.AzureEmulator.State;

/// <summary>
/// One request the data plane served: which host was asked, which slot answered (after routing), with which version, and how.
/// Azure Monitor metrics of a site or slot are computed from these.
/// </summary>
/// <param name="Time">When it was served, on the emulator's clock.</param>
/// <param name="Host">The host name the client asked for.</param>
/// <param name="Path">The path and query.</param>
/// <param name="AppId">The web app's resource id.</param>
/// <param name="Slot">The slot that answered (<c>production</c> for the site).</param>
/// <param name="Version">The version that slot held.</param>
/// <param name="Status">The HTTP status it answered.</param>
/// <param name="Duration">How long it took (the slot's latency), reported as HttpResponseTime.</param>
/// <param name="RoutedBy">How a production-host request reached its slot: <c>direct</c> (slot host), <c>rule</c>, <c>cookie</c>, <c>query</c> or <c>self</c>.</param>
public sealed record DataPlaneRequest(DateTimeOffset Time, string Host, string Path, string AppId, string Slot, string Version, int Status, TimeSpan Duration, string RoutedBy);
