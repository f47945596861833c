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
using QueryGuard.Rules;

namespace QueryGuard.CodeFixes;

/// <summary>
/// QG1004: throws before the write when the compared value is null, so the filter never sends <c>{f: null}</c>.
/// <c>ArgumentNullException.ThrowIfNull(value);</c> for parameters and locals (and their properties) where the target
/// framework has it; otherwise, and for fields and properties of <c>this</c>,
/// <c>if (value is null) throw new ArgumentNullException(nameof(value));</c>. Only values that can be read twice
/// without side effects get a guard (names and property chains, no calls).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddNullGuardCodeFix)), Shared]
public sealed class AddNullGuardCodeFix : QueryGuardCodeFixProvider
{
    public const string ThrowIfNullKey = RuleIdentifiers.WriteComparesWithNull + ".ThrowIfNull";

    public override ImmutableArray<string> FixableDiagnosticIds => Ids(RuleIdentifiers.WriteComparesWithNull);

    protected override async Task RegisterFixesAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode node)
    {
        if (!diagnostic.Properties.TryGetValue(UnscopedWriteRules.ValueProperty, out var valueText) || valueText is null
            || await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is not { } model)
        {
            return;
        }

        var value = node.DescendantNodesAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e => e.ToString() == valueText);
        if (value is null || RootOf(model, value, context.CancellationToken) is not { } root || FindAnchor(node) is not { } anchor)
        {
            return;
        }

        var useThrowIfNull = root is ILocalSymbol or IParameterSymbol && HasThrowIfNull(model.Compilation);
        var guard = Guard(value, useThrowIfNull, WriteFilterSyntax.TypeName(model, anchor.SpanStart, "System", "ArgumentNullException"));
        context.RegisterCodeFix(
            CreateAction($"Throw if '{valueText}' is null before the write", ThrowIfNullKey, ct => InsertAsync(context.Document, anchor, guard, model, ct)),
            diagnostic);
    }

    /// <summary>The local, parameter, field or property a side-effect-free value reads from; null for anything else.</summary>
    private static ISymbol? RootOf(SemanticModel model, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        switch (value)
        {
            case IdentifierNameSyntax:
                var symbol = model.GetSymbolInfo(value, cancellationToken).Symbol;
                return symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol { IsIndexer: false } ? symbol : null;
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } thisAccess:
                var member = model.GetSymbolInfo(thisAccess, cancellationToken).Symbol;
                return member is IFieldSymbol or IPropertySymbol { IsIndexer: false } ? member : null;
            case MemberAccessExpressionSyntax access when access.IsKind(SyntaxKind.SimpleMemberAccessExpression):
                return model.GetSymbolInfo(access, cancellationToken).Symbol is IFieldSymbol or IPropertySymbol { IsIndexer: false }
                    ? RootOf(model, access.Expression, cancellationToken)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The statement to put the guard before (in a block or switch section), or an expression body to turn into a
    /// block. Null when the write sits in another lambda (the guard would run at the wrong time) or in an embedded statement.
    /// </summary>
    private static SyntaxNode? FindAnchor(SyntaxNode filter)
    {
        for (var current = filter.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case StatementSyntax statement:
                    return statement.Parent is BlockSyntax or SwitchSectionSyntax ? statement : null;
                case ArrowExpressionClauseSyntax arrow when arrow.Parent is MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                    return arrow;
                case AnonymousFunctionExpressionSyntax:
                case ArrowExpressionClauseSyntax:
                case MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool HasThrowIfNull(Compilation compilation) =>
        compilation.GetTypeByMetadataName("System.ArgumentNullException")?.GetMembers("ThrowIfNull")
            .OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length >= 1 && m.Parameters[0].Type.SpecialType == SpecialType.System_Object) == true;

    private static StatementSyntax Guard(ExpressionSyntax value, bool useThrowIfNull, string exceptionType)
    {
        var text = value.WithoutTrivia().ToString();
        var statement = useThrowIfNull
            ? SyntaxFactory.ParseStatement($"{exceptionType}.ThrowIfNull({text});")
            : SyntaxFactory.ParseStatement($"if ({text} is null) throw new {exceptionType}(nameof({text}));");
        return statement.WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static async Task<Document> InsertAsync(Document document, SyntaxNode anchor, StatementSyntax guard, SemanticModel model, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (anchor is StatementSyntax statement)
        {
            // Same indentation as the statement, and the file's own line ending after it.
            var endOfLine = statement.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            editor.InsertBefore(statement, guard
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithTrailingTrivia(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.ElasticCarriageReturnLineFeed));
            return editor.GetChangedDocument();
        }

        // An expression-bodied method or local function becomes a block: the guard, then the write.
        var arrow = (ArrowExpressionClauseSyntax)anchor;
        var member = arrow.Parent!;
        var returnsValue = model.GetDeclaredSymbol(member, cancellationToken) is IMethodSymbol method
            && !method.ReturnsVoid
            && !(method.IsAsync && method.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 0 });
        StatementSyntax body = returnsValue
            ? SyntaxFactory.ReturnStatement(arrow.Expression.WithoutTrivia())
            : SyntaxFactory.ExpressionStatement(arrow.Expression.WithoutTrivia());
        // Elastic trivia between the two statements lets the formatter put each on its own line.
        var block = SyntaxFactory.Block(
                guard.WithTrailingTrivia(SyntaxFactory.ElasticMarker),
                body.WithLeadingTrivia(SyntaxFactory.ElasticMarker))
            .WithAdditionalAnnotations(Formatter.Annotation);
        SyntaxNode replacement = member switch
        {
            MethodDeclarationSyntax declaration => declaration.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
            LocalFunctionStatementSyntax local => local.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
            _ => member,
        };
        editor.ReplaceNode(member, replacement.WithAdditionalAnnotations(Formatter.Annotation));
        return editor.GetChangedDocument();
    }
}
