using System;
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
    public static string Hash(string value)
    {
        const ulong offsetBasis = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash ^= b;
            hash *= prime;
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}

/// <summary>The rule-independent part of a fingerprint: the containing member and the normalised operation text.</summary>
internal sealed class FingerprintSeed
{
    private readonly Lazy<(string MemberId, string Text)> _value;

    public FingerprintSeed(ISymbol? containingSymbol, string operationName, string collectionName, SyntaxNode filterOrOperation)
    {
        // Read only by the callback that analyses the operation (one thread), so no lock is needed.
        _value = new Lazy<(string, string)>(
            () =>
            {
                var memberId = Fingerprint.MemberId(containingSymbol);
                return (memberId, memberId + "\n" + operationName + "\n" + collectionName + "\n" + Fingerprint.NormalizedText(filterOrOperation));
            },
            System.Threading.LazyThreadSafetyMode.None);
    }

    public string MemberId => _value.Value.MemberId;

    public string For(string ruleId) => Fingerprint.Hash(ruleId + "\n" + _value.Value.Text);
}
