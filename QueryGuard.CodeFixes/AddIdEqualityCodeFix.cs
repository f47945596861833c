using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace QueryGuard.CodeFixes;

/// <summary>
/// QG1005: adds an equality on <c>_id</c> from a value in scope to a single-document write's filter, in the filter's
/// own style: <c>&amp;&amp; x.Id == id</c> inside a lambda, one more <c>And</c> argument, <c>&amp; Builders&lt;T&gt;.Filter.Eq(...)</c>
/// for other builders, one more element for a <c>BsonDocument</c>. JSON strings get no action (a C# value cannot be
/// written into the literal). One action per candidate, best first.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddIdEqualityCodeFix)), Shared]
public sealed class AddIdEqualityCodeFix : QueryGuardCodeFixProvider
{
    /// <summary>Equivalence key of the best candidate's action; Fix All applies each write's best candidate.</summary>
    public const string AddIdEqualityKey = RuleIdentifiers.SingleWriteDoesNotIdentifyDocument + ".AddIdEquality";

    public override ImmutableArray<string> FixableDiagnosticIds => Ids(RuleIdentifiers.SingleWriteDoesNotIdentifyDocument);

    protected override async Task RegisterFixesAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode node)
    {
        if (node is not ExpressionSyntax filter
            || filter is LiteralExpressionSyntax
            || await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is not { } model
            || WriteFilterSyntax.DocumentType(model, filter, context.CancellationToken) is not { } documentType
            || WriteFilterSyntax.IdMember(model.Compilation, documentType) is not { } idMember)
        {
            return;
        }

        var candidates = ValuesInScope.Find(model, filter.SpanStart, documentType, idMember);
        for (var i = 0; i < candidates.Count; i++)
        {
            var value = candidates[i];
            if (WriteFilterSyntax.WithKeyEqualities(model, filter, documentType, new[] { new KeyValue(idMember, "_id", value) }, context.CancellationToken) is not { } replacement)
            {
                continue;
            }

            var key = i == 0 ? AddIdEqualityKey : AddIdEqualityKey + ":" + value.Text;
            context.RegisterCodeFix(
                CreateAction($"Add '_id' == {value.Text} to the filter", key, ct => ReplaceNodeAsync(context.Document, filter, replacement, ct)),
                diagnostic);
        }
    }
}
