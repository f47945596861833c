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
            if (WithIdEquality(model, filter, documentType, idMember, value, context.CancellationToken) is not { } replacement)
            {
                continue;
            }

            var key = i == 0 ? AddIdEqualityKey : AddIdEqualityKey + ":" + value.Text;
            context.RegisterCodeFix(
                CreateAction($"Add '_id' == {value.Text} to the filter", key, ct => ReplaceAsync(context.Document, filter, replacement, ct)),
                diagnostic);
        }
    }

    private static ExpressionSyntax? WithIdEquality(SemanticModel model, ExpressionSyntax filter, ITypeSymbol documentType, ISymbol idMember, ScopeValue value, CancellationToken cancellationToken)
    {
        switch (filter)
        {
            case LambdaExpressionSyntax { ExpressionBody: { } body } lambda when WriteFilterSyntax.LambdaParameter(lambda) is { } parameter:
                if (parameter == ValuesInScope.RootName(value.Text))
                {
                    return null;
                }

                var condition = SyntaxFactory.BinaryExpression(
                    SyntaxKind.LogicalAndExpression,
                    WriteFilterSyntax.Operand(body, SyntaxKind.LogicalAndExpression),
                    WriteFilterSyntax.LambdaEquality(parameter, idMember, value));
                return lambda.WithExpressionBody(condition.WithAdditionalAnnotations(Formatter.Annotation));

            case ObjectCreationExpressionSyntax creation when WriteFilterSyntax.IsBsonDocumentCreation(model, creation, cancellationToken):
                if (!WriteFilterSyntax.ConvertsToBsonValue(model.Compilation, value.Type)
                    || creation.Initializer is { } existing && !existing.IsKind(SyntaxKind.CollectionInitializerExpression))
                {
                    return null;
                }

                var element = (InitializerExpressionSyntax)SyntaxFactory.ParseExpression($"new X {{ {{ \"_id\", {value.Text} }} }}")
                    .DescendantNodes().OfType<InitializerExpressionSyntax>().First(i => i.IsKind(SyntaxKind.ComplexElementInitializerExpression));
                var initializer = creation.Initializer ?? SyntaxFactory.InitializerExpression(SyntaxKind.CollectionInitializerExpression);
                return creation
                    .WithArgumentList(creation.ArgumentList?.WithoutTrailingTrivia())
                    .WithInitializer(initializer.AddExpressions(element))
                    .WithAdditionalAnnotations(Formatter.Annotation);

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "And" } } andCall
                when model.GetSymbolInfo(andCall, cancellationToken).Symbol is IMethodSymbol { ContainingType.Name: "FilterDefinitionBuilder", Parameters.Length: 1 } andMethod
                    && andMethod.Parameters[0].IsParams
                    && andCall.ArgumentList.Arguments.All(a => a.NameColon is null):
                // And(a, b) written out: one more argument.
                var added = WriteFilterSyntax.BuildersEq(model, filter.SpanStart, documentType, idMember, value);
                return andCall.WithArgumentList(andCall.ArgumentList.AddArguments(SyntaxFactory.Argument(added)));

            default:
                var eq = WriteFilterSyntax.BuildersEq(model, filter.SpanStart, documentType, idMember, value);
                return SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseAndExpression, WriteFilterSyntax.Operand(filter.WithoutTrivia(), SyntaxKind.BitwiseAndExpression), eq)
                    .WithTriviaFrom(filter)
                    .WithAdditionalAnnotations(Formatter.Annotation);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax filter, ExpressionSyntax replacement, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(filter, replacement);
        return editor.GetChangedDocument();
    }
}
