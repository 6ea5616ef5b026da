using System.Net.Http;

namespace ZdPipelines.Platforms.Azure.AppService;

/// <summary>
/// Whether a slot answers its health path with a 2xx, asked over HTTPS on the host name ARM gave it. Production is asked with
/// <c>?x-ms-routing-name=self</c>, which App Service routes to production itself whatever the ramp-up rules say
/// (deploy-staging-slots.md), and no cookie is kept, so a probe never pins itself to a slot.
/// </summary>
internal sealed class SlotHealthProbe(HttpClient http, string path, TimeSpan timeout, TimeProvider time)
{
    public async Task<bool> AnswersAsync(string host, bool production, CancellationToken cancellationToken)
    {
        var uri = $"https://{host}{path}";
        if (production)
        {
            uri += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "x-ms-routing-name=self";
        }

        using var limit = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer within the probe's timeout: not healthy, and not a reason to fail the deployment by itself.
            return false;
        }
    }
}
