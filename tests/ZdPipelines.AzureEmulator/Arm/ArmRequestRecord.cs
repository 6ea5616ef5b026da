namespace ZdPipelines.AzureEmulator.Arm;

/// <summary>One request the ARM (or Entra ID) endpoint answered.</summary>
/// <param name="Time">When, on the emulator's clock.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The request target as sent.</param>
/// <param name="OperationId">The Swagger operation it matched; <c>Entra:*</c>, <c>Poll</c>, or null when none matched.</param>
/// <param name="Status">The status the emulator answered with.</param>
/// <param name="ClientId">The app the bearer token stood for, when there was a valid one.</param>
/// <param name="Body">The request body, when there was one (never for Entra ID: it carries secrets).</param>
public sealed record ArmRequestRecord(DateTimeOffset Time, string Method, string PathAndQuery, string? OperationId, int Status, string? ClientId, string? Body);
