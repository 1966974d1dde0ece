using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using PtcTools.Aws.Signing;

namespace PtcTools.Aws.Protocols;

/// <summary>The AWS Query protocol (IAM, STS): a form-encoded body with Action and Version, an XML answer.</summary>
internal static class QueryProtocol
{
    /// <summary>The content type of Query requests.</summary>
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    /// <summary>The form body of an action: Action, Version, then the parameters in order (keys and values percent-encoded).</summary>
    public static byte[] Form(string action, string version, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var pairs = new[] { new KeyValuePair<string, string>("Action", action), new KeyValuePair<string, string>("Version", version) }.Concat(parameters);
        return Encoding.UTF8.GetBytes(string.Join("&", pairs.Select(p => SigV4Signer.Encode(p.Key) + "=" + SigV4Signer.Encode(p.Value))));
    }

    /// <summary>Calls an action and returns its result element (<c>ActionResult</c>, or the root when there is none).</summary>
    public static async Task<XElement> CallAsync(AwsServiceClient client, string action, string version, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var body = Form(action, version, parameters);
        var response = await client.CallAsync(action, body, ContentType, Array.Empty<KeyValuePair<string, string>>(), cancellationToken).ConfigureAwait(false);
        XDocument xml;
        try
        {
            xml = XDocument.Parse(response.Text);
        }
        catch (XmlException)
        {
            throw client.Unreadable(action, response.Status, response.RequestId, "a body that is not XML");
        }

        var root = xml.Root ?? throw client.Unreadable(action, response.Status, response.RequestId, "an empty XML document");
        return root.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? root;
    }

    /// <summary>The error code and message of an error answer (<c>ErrorResponse/Error/Code</c> and <c>Message</c>).</summary>
    public static (string Code, string? Message) ReadError(int status, string text, HttpResponseHeaders headers)
    {
        try
        {
            var xml = XDocument.Parse(text);
            var error = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            var message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            if (!string.IsNullOrEmpty(code))
            {
                return (code!.Trim(), message);
            }
        }
        catch (XmlException)
        {
            // Not XML (a proxy's page, an empty body): the status says what there is to say.
        }

        return (status == 429 ? "Throttling" : $"Http{status}", null);
    }

    /// <summary>The text of a child element by local name, or null.</summary>
    public static string? ChildText(this XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>The child element by local name, or null.</summary>
    public static XElement? ChildElement(this XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>The <c>member</c> elements of a list child, or none.</summary>
    public static IEnumerable<XElement> ChildMembers(this XElement element, string name) =>
        element.ChildElement(name)?.Elements().Where(e => e.Name.LocalName == "member") ?? Enumerable.Empty<XElement>();
}
