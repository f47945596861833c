using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;

namespace QueryGuard.Baseline;

/// <summary>
/// The identity of a finding that survives edits which do not touch it (docs/baseline.md): the rule ID, the
/// documentation comment ID of the member the operation is written in, the operation's name and collection, and
/// the filter's source tokens (so whitespace, line breaks and comments do not count). Line numbers and file paths
/// are not part of it, so moving code within the member or the member within the file keeps the fingerprint.
/// Hashed with FNV-1a 64 into 16 lowercase hex digits.
/// </summary>
internal static class Fingerprint
{
    /// <summary>The diagnostic property that carries the fingerprint to the SARIF log (and the baseline tool).</summary>
    public const string Property = "Fingerprint";

    /// <summary>The diagnostic property naming the containing member (documentation ID), for readable baselines.</summary>
    public const string MemberProperty = "FingerprintMember";

    /// <summary>Everything but the rule ID, for one operation; computed only when the operation has a finding.</summary>
    public static FingerprintSeed Seed(ISymbol? containingSymbol, string operationName, string collectionName, SyntaxNode filterOrOperation) =>
        new(containingSymbol, operationName, collectionName, filterOrOperation);

    /// <summary>
    /// The documentation ID of the member that holds the code (<c>M:Ns.Type.Method(System.String)</c>); lambdas
    /// and local functions count as their enclosing member, so they are not affected by the compiler's numbering;
    /// accessors count as their property or event (<c>P:Ns.Type.Name</c>).
    /// </summary>
    public static string MemberId(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } && symbol.ContainingSymbol is { } outer)
        {
            symbol = outer;
        }

        // A property's or event's accessors are written and read as the property or event.
        if (symbol is IMethodSymbol { AssociatedSymbol: IPropertySymbol or IEventSymbol } accessor)
        {
            symbol = accessor.AssociatedSymbol;
        }

        return symbol?.GetDocumentationCommentId() ?? string.Empty;
    }

    /// <summary>The node's tokens joined by one space: layout and comments do not matter, the code does.</summary>
    public static string NormalizedText(SyntaxNode node)
    {
        var text = new StringBuilder();
        foreach (var token in node.DescendantTokens())
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(token.Text);
        }

        return text.ToString();
    }

    /// <summary>FNV-1a, 64 bits, over the UTF-8 bytes: stable across processes, platforms and .NET versions.</summary>
    public static string Hash(string value) => Format(Add(OffsetBasis, value));

    /// <summary><see cref="Hash"/> of <c>ruleId + "\n" + text</c>, without building that string.</summary>
    internal static string Hash(string ruleId, string text) => Format(Add(Add(Add(OffsetBasis, ruleId), "\n"), text));

    private const ulong OffsetBasis = 14695981039346656037UL;

    private static string Format(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>
    /// Continues the hash over the UTF-8 encoding of <paramref name="value"/>, byte for byte what
    /// <c>Encoding.UTF8.GetBytes</c> gives (a lone surrogate is U+FFFD), without allocating the bytes.
    /// </summary>
    private static ulong Add(ulong hash, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            int c = value[i];
            if (c < 0x80)
            {
                hash = Step(hash, c);
                continue;
            }

            if (char.IsHighSurrogate((char)c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                c = char.ConvertToUtf32((char)c, value[++i]);
            }
            else if (char.IsSurrogate((char)c))
            {
                c = 0xFFFD;
            }

            if (c < 0x800)
            {
                hash = Step(Step(hash, 0xC0 | (c >> 6)), 0x80 | (c & 0x3F));
            }
            else if (c < 0x10000)
            {
                hash = Step(Step(Step(hash, 0xE0 | (c >> 12)), 0x80 | ((c >> 6) & 0x3F)), 0x80 | (c & 0x3F));
            }
            else
            {
                hash = Step(Step(Step(Step(hash, 0xF0 | (c >> 18)), 0x80 | ((c >> 12) & 0x3F)), 0x80 | ((c >> 6) & 0x3F)), 0x80 | (c & 0x3F));
            }
        }

        return hash;
    }

    private static ulong Step(ulong hash, int b) => (hash ^ (byte)b) * 1099511628211UL;
}

/// <summary>The rule-independent part of a fingerprint: the containing member and the normalised operation text.</summary>
internal sealed class FingerprintSeed
{
    private readonly ISymbol? _containingSymbol;
    private readonly string _operationName;
    private readonly string _collectionName;
    private readonly SyntaxNode _filterOrOperation;
    private string? _memberId;
    private string? _text;

    public FingerprintSeed(ISymbol? containingSymbol, string operationName, string collectionName, SyntaxNode filterOrOperation)
    {
        _containingSymbol = containingSymbol;
        _operationName = operationName;
        _collectionName = collectionName;
        _filterOrOperation = filterOrOperation;
    }

    // Computed on first read, by the one callback that analyses the operation (no other thread sees the seed).
    public string MemberId => _memberId ??= Fingerprint.MemberId(_containingSymbol);

    public string For(string ruleId) =>
        Fingerprint.Hash(ruleId, _text ??= MemberId + "\n" + _operationName + "\n" + _collectionName + "\n" + Fingerprint.NormalizedText(_filterOrOperation));
}
