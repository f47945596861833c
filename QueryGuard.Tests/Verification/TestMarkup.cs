using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace QueryGuard.Tests.Verification;

/// <summary>A span marked in test source: <c>[|…|]</c> (the test's default rule), <c>{|QG1001:…|}</c>, or <c>{|#0:…|}</c>.</summary>
public sealed record MarkedSpan(string? Id, TextSpan Span);

/// <summary>
/// Parses the markup of Microsoft.CodeAnalysis.Testing: <c>[|text|]</c> marks an expected diagnostic of the
/// test's default rule, <c>{|ID:text|}</c> one of rule <c>ID</c> (QGxxxx or a compiler ID), and <c>{|#N:text|}</c>
/// names location N for <see cref="DiagnosticResult.WithLocation(int)"/>. Markup nests.
/// </summary>
public static class TestMarkup
{
    public static (string Source, IReadOnlyList<MarkedSpan> Spans) Parse(string markup)
    {
        var output = new StringBuilder(markup.Length);
        var spans = new List<MarkedSpan>();
        var open = new Stack<(string? Id, int Start, bool Braced)>();
        var i = 0;
        while (i < markup.Length)
        {
            if (Matches(markup, i, "[|"))
            {
                open.Push((null, output.Length, false));
                i += 2;
            }
            else if (Matches(markup, i, "{|") && markup.IndexOf(':', i) is var colon and > 0 && IsId(markup.Substring(i + 2, colon - i - 2)))
            {
                open.Push((markup.Substring(i + 2, colon - i - 2), output.Length, true));
                i = colon + 1;
            }
            else if (Matches(markup, i, "|]") && open.Count > 0 && !open.Peek().Braced)
            {
                var (id, start, _) = open.Pop();
                spans.Add(new MarkedSpan(id, TextSpan.FromBounds(start, output.Length)));
                i += 2;
            }
            else if (Matches(markup, i, "|}") && open.Count > 0 && open.Peek().Braced)
            {
                var (id, start, _) = open.Pop();
                spans.Add(new MarkedSpan(id, TextSpan.FromBounds(start, output.Length)));
                i += 2;
            }
            else
            {
                output.Append(markup[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw new ArgumentException("Unclosed markup in test source.");
        }

        return (output.ToString(), spans.OrderBy(s => s.Span.Start).ToList());
    }

    private static bool Matches(string text, int index, string token) =>
        string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    private static bool IsId(string candidate) =>
        candidate.Length > 0 && candidate.Length < 16 && candidate.All(c => char.IsLetterOrDigit(c) || c == '#');
}
