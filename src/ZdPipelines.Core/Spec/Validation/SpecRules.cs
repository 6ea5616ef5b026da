namespace ZdPipelines.Core.Spec.Validation;

/// <summary>Small checks that several modules' rules share.</summary>
public static class SpecRules
{
    /// <summary>An absolute http or https URL with a host.</summary>
    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;
}
