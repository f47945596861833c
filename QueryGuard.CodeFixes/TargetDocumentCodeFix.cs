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
/// QG1001: replaces the empty filter with an equality on <c>_id</c> from a value in scope, in the filter's style
/// (a lambda stays a lambda, a BsonDocument stays a BsonDocument, anything else becomes <c>Builders&lt;T&gt;.Filter.Eq</c>).
/// A <c>*Many</c> write that then targets one <c>_id</c> becomes the <c>*One</c> write. One action per candidate,
/// best first; then, when the collection declares a scope key, one action per candidate for it. No candidate, no action.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TargetDocumentCodeFix)), Shared]
public sealed class TargetDocumentCodeFix : QueryGuardCodeFixProvider
{
    /// <summary>Equivalence key of the best candidate's action; Fix All applies each write's best candidate.</summary>
    public const string FilterOnIdKey = RuleIdentifiers.WriteMatchesEveryDocument + ".FilterOnId";

    /// <summary>Equivalence key of the best scope-key candidate's action.</summary>
    public const string FilterOnScopeKey = RuleIdentifiers.WriteMatchesEveryDocument + ".FilterOnScopeKey";

    public override ImmutableArray<string> FixableDiagnosticIds => Ids(RuleIdentifiers.WriteMatchesEveryDocument);

    protected override async Task RegisterFixesAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode node)
    {
        if (node is not ExpressionSyntax filter
            || await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is not { } model
            || WriteFilterSyntax.DocumentType(model, filter, context.CancellationToken) is not { } documentType)
        {
            return;
        }

        if (WriteFilterSyntax.IdMember(model.Compilation, documentType) is { } idMember)
        {
            RegisterIdFixes(context, diagnostic, model, filter, documentType, idMember);
        }

        // Then the declared scope key: the write stays a multi-document write, within one tenant.
        if (diagnostic.Properties.TryGetValue(Rules.UnscopedWriteRules.ScopeKeyProperty, out var scopeKey) && scopeKey is not null
            && diagnostic.Properties.TryGetValue(Rules.UnscopedWriteRules.ScopeMemberProperty, out var scopeMemberName) && scopeMemberName is not null
            && documentType.GetMembers(scopeMemberName).FirstOrDefault(m => m is IPropertySymbol or IFieldSymbol) is { } scopeMember)
        {
            var scopeCandidates = ValuesInScope.Find(model, filter.SpanStart, documentType, scopeMember, scopeKey);
            for (var i = 0; i < scopeCandidates.Count; i++)
            {
                var value = scopeCandidates[i];
                var replacement = Replacement(model, filter, documentType, scopeMember, scopeKey, value, context.CancellationToken);
                var key = i == 0 ? FilterOnScopeKey : FilterOnScopeKey + ":" + value.Text;
                context.RegisterCodeFix(
                    CreateAction($"Filter on '{scopeKey}' == {value.Text}", key, ct => ApplyAsync(context.Document, filter, replacement, null, null, ct)),
                    diagnostic);
            }
        }
    }

    private static void RegisterIdFixes(CodeFixContext context, Diagnostic diagnostic, SemanticModel model, ExpressionSyntax filter, ITypeSymbol documentType, ISymbol idMember)
    {
        var candidates = ValuesInScope.Find(model, filter.SpanStart, documentType, idMember);
        for (var i = 0; i < candidates.Count; i++)
        {
            var value = candidates[i];
            var replacement = Replacement(model, filter, documentType, idMember, "_id", value, context.CancellationToken);
            var write = filter.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: ExpressionSyntax operation } } ? operation : null;
            var single = write is null ? null : SingleDocumentWrite(model, write, filter, replacement, context.CancellationToken);
            var title = single is { } one
                ? $"Use {one.Name} on '_id' == {value.Text}"
                : $"Filter on '_id' == {value.Text}";
            var key = i == 0 ? FilterOnIdKey : FilterOnIdKey + ":" + value.Text;
            context.RegisterCodeFix(
                CreateAction(title, key, ct => ApplyAsync(context.Document, filter, replacement, write, single?.Node, ct)),
                diagnostic);
        }
    }

    private static ExpressionSyntax Replacement(SemanticModel model, ExpressionSyntax filter, ITypeSymbol documentType, ISymbol keyMember, string storedName, ScopeValue value, CancellationToken cancellationToken)
    {
        if (filter is LambdaExpressionSyntax lambda && WriteFilterSyntax.LambdaParameter(lambda) is { } parameter)
        {
            var name = WriteFilterSyntax.ParameterName(parameter, value);
            return SyntaxFactory.ParseExpression($"{name} => {WriteFilterSyntax.LambdaEquality(name, keyMember, value)}")
                .WithTriviaFrom(filter)
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        if (WriteFilterSyntax.IsBsonDocumentCreation(model, filter, cancellationToken) && WriteFilterSyntax.ConvertsToBsonValue(model.Compilation, value.Type))
        {
            var bsonDocument = ((ObjectCreationExpressionSyntax)filter).Type;
            return SyntaxFactory.ParseExpression($"new {bsonDocument}(\"{storedName}\", {value.Text})")
                .WithTriviaFrom(filter)
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        return WriteFilterSyntax.BuildersEq(model, filter.SpanStart, documentType, keyMember, value).WithTriviaFrom(filter);
    }

    /// <summary>
    /// <c>DeleteMany</c>/<c>UpdateMany</c> (and their Async forms and models) renamed to the <c>*One</c> write with the
    /// new filter, when that still binds: a write of one <c>_id</c> is a single-document write.
    /// </summary>
    private static (string Name, ExpressionSyntax Node)? SingleDocumentWrite(SemanticModel model, ExpressionSyntax write, ExpressionSyntax filter, ExpressionSyntax replacement, CancellationToken cancellationToken)
    {
        ExpressionSyntax? renamed = null;
        string? newName = null;
        switch (write)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation when Many(access.Name.Identifier.ValueText):
                newName = access.Name.Identifier.ValueText.Replace("Many", "One");
                var newAccess = access.WithName(access.Name.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(access.Name.Identifier)));
                renamed = invocation.ReplaceNode(filter, replacement).WithExpression(newAccess);
                break;

            case ObjectCreationExpressionSyntax { Type: GenericNameSyntax generic } creation when Many(generic.Identifier.ValueText):
                // Only where the model is converted to its base (WriteModel<T>, BulkWriteModel): a renamed element of a
                // `new[] { ... }` of several models could break the array's inferred type.
                var typeInfo = model.GetTypeInfo(creation, cancellationToken);
                if (SymbolEqualityComparer.Default.Equals(typeInfo.Type, typeInfo.ConvertedType))
                {
                    return null;
                }

                newName = generic.Identifier.ValueText.Replace("Many", "One");
                renamed = creation.ReplaceNode(filter, replacement)
                    .WithType(generic.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(generic.Identifier)));
                break;
        }

        if (renamed is null || newName is null)
        {
            return null;
        }

        var bound = model.GetSpeculativeSymbolInfo(write.SpanStart, renamed, SpeculativeBindingOption.BindAsExpression);
        return bound.Symbol is null ? null : (newName, renamed);
    }

    private static bool Many(string name) => name is "DeleteMany" or "DeleteManyAsync" or "UpdateMany" or "UpdateManyAsync"
        or "DeleteManyModel" or "UpdateManyModel" or "BulkWriteDeleteManyModel" or "BulkWriteUpdateManyModel";

    private static async Task<Document> ApplyAsync(Document document, ExpressionSyntax filter, ExpressionSyntax replacement, ExpressionSyntax? write, ExpressionSyntax? single, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (write is not null && single is not null)
        {
            editor.ReplaceNode(write, single);
        }
        else
        {
            editor.ReplaceNode(filter, replacement);
        }

        return editor.GetChangedDocument();
    }
}
