using System.Globalization;
using System.Text;

namespace PracticeMesh.Volunteers.Domain;

/// <summary>
/// Writes the certificate as a small PDF. Text uses the PDF standard CJK font STSong-Light with the UniGB-UCS2-H
/// encoding, which every conforming reader supplies: no font file is needed on the server or embedded, so
/// Chinese renders without fonts-noto-cjk and the output does not depend on what is installed.
/// </summary>
public static class CertificatePdf
{
    public sealed record Line(string Text, double Size = 11, double Indent = 0);

    public static byte[] Render(IReadOnlyList<Line> lines)
    {
        var content = new StringBuilder();
        var y = 800.0;
        foreach (var line in lines)
        {
            y -= line.Size * 1.8;
            if (y < 50)
            {
                break; // One page: the certificate summarises; long ledgers are cut (the API has the full list).
            }
            content.Append(CultureInfo.InvariantCulture, $"BT /F1 {line.Size:0.#} Tf {60 + line.Indent:0.#} {y:0.#} Td <{Ucs2Hex(line.Text)}> Tj ET\n");
        }
        var stream = content.ToString();
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>",
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [5 0 R] >>",
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
                + "/FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>",
            $"<< /Length {Encoding.ASCII.GetByteCount(stream)} >>\nstream\n{stream}endstream",
            "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
                + "/CapHeight 880 /StemV 93 >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.ASCII.GetByteCount(pdf.ToString()));
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = Encoding.ASCII.GetByteCount(pdf.ToString());
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    /// <summary>UTF-16 big-endian as hex; characters outside the BMP become '?'.</summary>
    private static string Ucs2Hex(string text)
    {
        var hex = new StringBuilder(text.Length * 4);
        foreach (var c in text)
        {
            hex.Append(((int)(char.IsSurrogate(c) ? '?' : c)).ToString("X4", CultureInfo.InvariantCulture));
        }
        return hex.ToString();
    }
}
