using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace QueryGuard.Tests.Robustness;

/// <summary>The edits an IDE sees while code is being typed, deleted, pasted or moved.</summary>
public enum MutationKind
{
    DeleteToken,
    Truncate,
    DuplicateLine,
    SwapTokens,
    RemoveClosingBrace,
    DeleteTokenRun,
    InsertToken,
    DeleteLine,

    /// <summary>The text inside a string literal edited (JSON filters, collection names, attribute arguments).</summary>
    EditStringLiteral,

    /// <summary>An identifier or literal replaced with <c>null</c> or <c>default</c>.</summary>
    ReplaceWithNull,
}

/// <summary>One applied edit, described well enough to read in a failure message.</summary>
public sealed record Mutation(MutationKind Kind, string Detail)
{
    public override string ToString() => $"{Kind}({Detail})";
}

/// <summary>
/// Derives half-typed versions of C# sources at the token level (Roslyn's own lexer, <see cref="SyntaxFactory.ParseTokens"/>)
/// and of JSON at the character and token level. Everything is a function of the <see cref="Random"/> passed in, so a
/// mutation is replayed from its seed alone.
/// </summary>
public static class Mutator
{
    private static readonly MutationKind[] Kinds = Enum.GetValues<MutationKind>();

    /// <summary>Identifiers worth aiming at: half of the token picks land near a MongoDB call, filter or configuration.</summary>
    private static readonly HashSet<string> Interesting = new(StringComparer.Ordinal)
    {
        "Builders", "Filter", "Empty", "Eq", "Ne", "In", "Nin", "And", "Or", "Not", "Where", "Match", "Find", "FindAsync",
        "DeleteMany", "DeleteManyAsync", "DeleteOne", "DeleteOneAsync", "UpdateMany", "UpdateManyAsync", "UpdateOne",
        "UpdateOneAsync", "ReplaceOne", "ReplaceOneAsync", "FindOneAndUpdate", "FindOneAndUpdateAsync", "FindOneAndDelete",
        "FindOneAndReplace", "BulkWrite", "BulkWriteAsync", "CountDocuments", "Aggregate", "AsQueryable", "GetCollection",
        "BsonDocument", "FilterDefinition", "ShardKey", "ScopeKey", "IsUpsert", "SuppressMessage", "pragma", "if", "else",
        "var", "return", "foreach", "new", "null", "=>", "&=", "|=", "&", "|", "!",
    };

    /// <summary>
    /// <paramref name="count"/> stacked mutations of <paramref name="source"/> (later ones apply to the result of earlier
    /// ones), and what they were.
    /// </summary>
    public static (string Text, IReadOnlyList<Mutation> Mutations) MutateCSharp(string source, Random random, int count)
    {
        var mutations = new List<Mutation>();
        var text = source;
        for (var i = 0; i < count; i++)
        {
            var kind = Kinds[random.Next(Kinds.Length)];
            var (next, detail) = ApplyCSharp(text, kind, random);
            mutations.Add(new Mutation(kind, detail));
            text = next;
        }

        return (text, mutations);
    }

    public static (string Text, string Detail) ApplyCSharp(string text, MutationKind kind, Random random)
    {
        var tokens = SyntaxFactory.ParseTokens(text).Where(t => !t.IsKind(SyntaxKind.EndOfFileToken) && t.Span.Length > 0).ToList();
        if (tokens.Count == 0)
        {
            return (text, "no tokens");
        }

        switch (kind)
        {
            case MutationKind.DeleteToken:
            {
                var token = tokens[PickToken(tokens, random)];
                return (Remove(text, token.Span), Describe(text, token.Span));
            }

            case MutationKind.Truncate:
            {
                // Half at a token boundary, half anywhere (inside a string, a comment, an identifier).
                var at = random.Next(2) == 0 ? tokens[PickToken(tokens, random)].Span.End : random.Next(text.Length + 1);
                return (text.Substring(0, at), $"at {at} of {text.Length}");
            }

            case MutationKind.DuplicateLine:
            {
                var lines = SourceText.From(text).Lines;
                var line = lines[LineOf(tokens, random, lines)];
                var full = line.SpanIncludingLineBreak;
                return (text.Insert(full.End, text.Substring(full.Start, full.Length) + (line.EndIncludingLineBreak == line.End ? "\n" : string.Empty)), $"line {line.LineNumber + 1}");
            }

            case MutationKind.SwapTokens:
            {
                var first = PickToken(tokens, random);
                var second = Math.Clamp(first + (random.Next(2) == 0 ? 1 : random.Next(-8, 9)), 0, tokens.Count - 1);
                if (first == second)
                {
                    return (text, "same token");
                }

                var (a, b) = first < second ? (tokens[first], tokens[second]) : (tokens[second], tokens[first]);
                var swapped = text.Substring(0, a.SpanStart) + b.Text + text.Substring(a.Span.End, b.SpanStart - a.Span.End) + a.Text + text.Substring(b.Span.End);
                return (swapped, $"'{a.Text}'@{a.SpanStart} <-> '{b.Text}'@{b.SpanStart}");
            }

            case MutationKind.RemoveClosingBrace:
            {
                var closers = Enumerable.Range(0, tokens.Count).Where(i => tokens[i].IsKind(SyntaxKind.CloseBraceToken) || (random.Next(4) == 0 && tokens[i].IsKind(SyntaxKind.CloseParenToken))).ToList();
                if (closers.Count == 0)
                {
                    return ApplyCSharp(text, MutationKind.DeleteToken, random);
                }

                var token = tokens[closers[random.Next(closers.Count)]];
                return (Remove(text, token.Span), Describe(text, token.Span));
            }

            case MutationKind.DeleteTokenRun:
            {
                var start = PickToken(tokens, random);
                var end = Math.Min(tokens.Count - 1, start + random.Next(1, 6));
                var span = TextSpan.FromBounds(tokens[start].SpanStart, tokens[end].Span.End);
                return (Remove(text, span), Describe(text, span));
            }

            case MutationKind.InsertToken:
            {
                // A token copied from elsewhere in the file: plausible text in an implausible place.
                var token = tokens[random.Next(tokens.Count)];
                var at = tokens[PickToken(tokens, random)].Span.End;
                return (text.Insert(at, " " + token.Text), $"'{token.Text}' at {at}");
            }

            case MutationKind.DeleteLine:
            {
                var lines = SourceText.From(text).Lines;
                var line = lines[LineOf(tokens, random, lines)];
                return (Remove(text, line.SpanIncludingLineBreak), $"line {line.LineNumber + 1}: `{Shorten(line.ToString())}`");
            }

            case MutationKind.EditStringLiteral:
            {
                var strings = tokens.Where(t => t.IsKind(SyntaxKind.StringLiteralToken)).ToList();
                if (strings.Count == 0)
                {
                    return ApplyCSharp(text, MutationKind.DeleteToken, random);
                }

                var token = strings[random.Next(strings.Count)];
                var (value, detail) = MutateJson(token.ValueText, random);
                var literal = SyntaxFactory.Literal(value).Text;
                return (text.Substring(0, token.SpanStart) + literal + text.Substring(token.Span.End), $"{Describe(text, token.Span)}: {detail}");
            }

            case MutationKind.ReplaceWithNull:
            {
                var candidates = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken) || t.IsKind(SyntaxKind.StringLiteralToken) || t.IsKind(SyntaxKind.NumericLiteralToken) || t.IsKind(SyntaxKind.TrueKeyword)).ToList();
                if (candidates.Count == 0)
                {
                    return ApplyCSharp(text, MutationKind.DeleteToken, random);
                }

                // Near an interesting token half the time, like the other kinds.
                var token = random.Next(2) == 0 ? candidates[random.Next(candidates.Count)] : tokens[PickToken(tokens, random)];
                var replacement = random.Next(2) == 0 ? "null" : "default";
                return (text.Substring(0, token.SpanStart) + replacement + text.Substring(token.Span.End), $"{Describe(text, token.Span)} -> {replacement}");
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>A mutation of JSON text: characters and JSON tokens deleted, inserted, swapped, duplicated, or the text cut.</summary>
    public static (string Text, string Detail) MutateJson(string text, Random random)
    {
        var tokens = JsonTokens(text);
        switch (random.Next(8))
        {
            case 0 when text.Length > 0:
            {
                var at = random.Next(text.Length);
                return (text.Remove(at, 1), $"delete char '{text[at]}' at {at}");
            }

            case 1:
            {
                const string Alphabet = "{}[]:,\"\\ 0123456789.-+eEtrufalsn_$ab\u00e9\n\t\u0000";
                var at = random.Next(text.Length + 1);
                var c = Alphabet[random.Next(Alphabet.Length)];
                return (text.Insert(at, c.ToString()), $"insert U+{(int)c:X4} at {at}");
            }

            case 2:
            {
                var at = random.Next(text.Length + 1);
                return (text.Substring(0, at), $"truncate at {at}");
            }

            case 3 when tokens.Count > 0:
            {
                var token = tokens[random.Next(tokens.Count)];
                return (Remove(text, token), $"delete token {Describe(text, token)}");
            }

            case 4 when tokens.Count > 1:
            {
                var first = random.Next(tokens.Count);
                var second = Math.Clamp(first + random.Next(-4, 5), 0, tokens.Count - 1);
                if (first == second)
                {
                    goto default;
                }

                var (a, b) = first < second ? (tokens[first], tokens[second]) : (tokens[second], tokens[first]);
                var swapped = text.Substring(0, a.Start) + text.Substring(b.Start, b.Length) + text.Substring(a.End, b.Start - a.End) + text.Substring(a.Start, a.Length) + text.Substring(b.End);
                return (swapped, $"swap {Describe(text, a)} and {Describe(text, b)}");
            }

            case 5 when tokens.Count > 0:
            {
                var token = tokens[random.Next(tokens.Count)];
                var at = tokens[random.Next(tokens.Count)].End;
                return (text.Insert(at, text.Substring(token.Start, token.Length)), $"copy {Describe(text, token)} to {at}");
            }

            case 6 when tokens.Count > 0:
            {
                // A value replaced by one of another JSON type or an odd one of the same type.
                string[] values = { "null", "true", "0", "-1", "1e999", "\"\"", "\"hashed\"", "\"a..b\"", "\".\"", "[]", "{}", "[1,\"x\"]", "{\"a\":{}}", "\"_id\"", "\"99.x\"", "\"camelCase\"" };
                var token = tokens[random.Next(tokens.Count)];
                var value = values[random.Next(values.Length)];
                return (text.Substring(0, token.Start) + value + text.Substring(token.End), $"replace {Describe(text, token)} with {value}");
            }

            case 7:
            {
                var lines = text.Split('\n');
                var line = random.Next(lines.Length);
                var list = lines.ToList();
                list.Insert(line, lines[line]);
                return (string.Join('\n', list), $"duplicate line {line + 1}");
            }

            default:
            {
                var at = random.Next(text.Length + 1);
                return (text.Substring(0, at), $"truncate at {at}");
            }
        }
    }

    /// <summary>A token index: half the time uniformly, half the time near an interesting token.</summary>
    private static int PickToken(List<SyntaxToken> tokens, Random random)
    {
        if (random.Next(2) == 0)
        {
            return random.Next(tokens.Count);
        }

        var interesting = new List<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (Interesting.Contains(tokens[i].Text))
            {
                interesting.Add(i);
            }
        }

        if (interesting.Count == 0)
        {
            return random.Next(tokens.Count);
        }

        return Math.Clamp(interesting[random.Next(interesting.Count)] + random.Next(-3, 4), 0, tokens.Count - 1);
    }

    private static int LineOf(List<SyntaxToken> tokens, Random random, TextLineCollection lines) =>
        lines.GetLineFromPosition(tokens[PickToken(tokens, random)].SpanStart).LineNumber;

    private static string Remove(string text, TextSpan span) => text.Remove(span.Start, span.Length);

    private static string Describe(string text, TextSpan span) => $"'{Shorten(text.Substring(span.Start, span.Length))}'@{span.Start}";

    private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";

    /// <summary>JSON tokens: strings, numbers and literals, and punctuation.</summary>
    private static List<TextSpan> JsonTokens(string text)
    {
        var tokens = new List<TextSpan>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                i = Math.Min(text.Length, i + 1);
            }
            else if ("{}[]:,".IndexOf(c) >= 0)
            {
                i++;
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && "{}[]:,\"".IndexOf(text[i]) < 0)
                {
                    i++;
                }
            }

            tokens.Add(TextSpan.FromBounds(start, i));
        }

        return tokens;
    }

    /// <summary>The mutated text for a failure message, with line numbers.</summary>
    public static string Numbered(string text)
    {
        var builder = new StringBuilder();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            builder.Append((i + 1).ToString().PadLeft(4)).Append(": ").Append(lines[i].TrimEnd('\r')).Append('\n');
        }

        return builder.ToString();
    }
}
