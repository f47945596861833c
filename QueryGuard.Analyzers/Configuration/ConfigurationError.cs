using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace QueryGuard.Configuration;

/// <summary>A QG0001 finding: a message and where in which file.</summary>
public sealed record ConfigurationError(string Message, string Path, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(Path, Span, LineSpan);

    public static ConfigurationError At(SourceText text, string path, int start, int length, string message)
    {
        start = System.Math.Max(0, System.Math.Min(start, text.Length));
        length = System.Math.Max(0, System.Math.Min(length, text.Length - start));
        var span = new TextSpan(start, length);
        return new ConfigurationError(message, path, span, text.Lines.GetLinePositionSpan(span));
    }
}
