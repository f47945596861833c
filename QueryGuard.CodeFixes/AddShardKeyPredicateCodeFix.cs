using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using QueryGuard.Rules;

namespace QueryGuard.CodeFixes;

/// <summary>
/// QG2001, QG2004, QG1006: adds an equality on the missing key field(s) (the shard key's leading field, every
/// shard-key field an upsert lacks, the scope key) from values in scope whose type fits and whose name matches the
/// field (<c>workspaceId</c>, <c>WorkspaceId</c>, the stored name <c>idWorkspace</c>, <c>board.WorkspaceId</c>), in the
/// filter's own style. One action per candidate for the first field (the others take their best candidate), best
/// first. No candidate for a field, or a JSON string filter: no action, the message still names the field.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddShardKeyPredicateCodeFix)), Shared]
public sealed class AddShardKeyPredicateCodeFix : QueryGuardCodeFixProvider
{
    /// <summary>Equivalence key of the best candidate's action; Fix All applies each filter's best candidate.</summary>
    public const string AddKeyEqualityKey = "QueryGuard.AddKeyEquality";

    public override ImmutableArray<string> FixableDiagnosticIds => Ids(
        RuleIdentifiers.OperationOmitsShardKey,
        RuleIdentifiers.UpsertWithoutFullShardKey,
        RuleIdentifiers.WriteDoesNotPinScopeKey);

    protected override async Task RegisterFixesAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode node)
    {
        if (node is not ExpressionSyntax filter
            || filter is LiteralExpressionSyntax or InterpolatedStringExpressionSyntax
            || !diagnostic.Properties.TryGetValue(OperationFacts.KeysProperty, out var keyList) || string.IsNullOrEmpty(keyList)
            || !diagnostic.Properties.TryGetValue(OperationFacts.MembersProperty, out var memberList) || memberList is null
            || await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is not { } model
            || WriteFilterSyntax.DocumentType(model, filter, context.CancellationToken) is not { } documentType)
        {
            return;
        }

        var storedNames = keyList!.Split(',');
        var memberNames = memberList.Split(',');
        if (storedNames.Length != memberNames.Length)
        {
            return;
        }

        // Every missing field needs a member to compare and at least one value in scope.
        var fields = new List<(ISymbol Member, string StoredName, IReadOnlyList<ScopeValue> Candidates)>();
        for (var i = 0; i < storedNames.Length; i++)
        {
            var member = Member(documentType, memberNames[i]);
            if (member is null)
            {
                return;
            }

            var candidates = ValuesInScope.Find(model, filter.SpanStart, documentType, member, storedNames[i]);
            if (candidates.Count == 0)
            {
                return;
            }

            fields.Add((member, storedNames[i], candidates));
        }

        var first = fields[0];
        for (var c = 0; c < first.Candidates.Count; c++)
        {
            var chosen = new List<KeyValue> { new(first.Member, first.StoredName, first.Candidates[c]) };
            chosen.AddRange(fields.Skip(1).Select(f => new KeyValue(f.Member, f.StoredName, f.Candidates[0])));
            if (WriteFilterSyntax.WithKeyEqualities(model, filter, documentType, chosen, context.CancellationToken) is not { } replacement)
            {
                continue;
            }

            var title = "Add " + string.Join(" and ", chosen.Select(k => $"'{k.StoredName}' == {k.Value.Text}")) + " to the filter";
            var key = c == 0 ? AddKeyEqualityKey : AddKeyEqualityKey + ":" + first.Candidates[c].Text;
            context.RegisterCodeFix(CreateAction(title, key, ct => ReplaceNodeAsync(context.Document, filter, replacement, ct)), diagnostic);
        }
    }

    private static ISymbol? Member(ITypeSymbol documentType, string name)
    {
        if (name.Length == 0)
        {
            return null;
        }

        for (var type = documentType; type is not null; type = type.BaseType)
        {
            if (type.GetMembers(name).FirstOrDefault(m => m is IPropertySymbol or IFieldSymbol && !m.IsStatic) is { } member)
            {
                return member;
            }
        }

        return null;
    }
}
