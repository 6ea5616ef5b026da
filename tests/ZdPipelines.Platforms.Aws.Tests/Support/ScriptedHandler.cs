using System.Net;
using System.Text;

namespace ZdPipelines.Platforms.Aws.Tests.Support;

/// <summary>An HTTP handler that answers each request with the next scripted response, and keeps the requests.</summary>
public sealed class ScriptedHandler(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _answers = new(answers);

    public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];

    public static HttpResponseMessage Xml(HttpStatusCode status, string xml) =>
        new(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message = "message") => Xml(
        status,
        $"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request, body));
        return _answers.Count > 0 ? _answers.Dequeue()() : throw new InvalidOperationException("no more scripted answers");
    }
}
