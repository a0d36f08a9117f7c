using System.Text;
using QRCoder;

namespace PracticeMesh.WebConsole.Components.Pages.Activities;

/// <summary>A check-in code drawn as an SVG QR code, for an image's data: URI (vector, so it stays sharp on a large screen).</summary>
public static class QrSvg
{
    /// <summary>
    /// The token alone is the QR's content: it names its activity itself (the API's signed token starts with the
    /// activity's id), so a phone needs nothing else to check in.
    /// </summary>
    public static string DataUri(string token)
    {
        using var generator = new QRCodeGenerator();
        // Medium error correction: scanned from a screen, across a room, with the room's glare.
        using var data = generator.CreateQrCode(token, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(8);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }
}
